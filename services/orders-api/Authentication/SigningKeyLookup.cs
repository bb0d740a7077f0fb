namespace OrdersMail.OrdersApi.Authentication;

/// <summary>The answer of <see cref="ISigningKeySource.FindAsync"/>: a key, or the reason a token is refused.</summary>
/// <param name="Key">The key, when found.</param>
/// <param name="Rejection">Why there is no key, when not.</param>
public sealed record SigningKeyLookup(RsaVerificationKey? Key, SessionTokenRejection? Rejection)
{
    /// <summary>No key has the kid.</summary>
    public static readonly SigningKeyLookup Unknown = new(null, SessionTokenRejection.UnknownKey);

    /// <summary>The keys could not be fetched.</summary>
    public static readonly SigningKeyLookup Unavailable = new(null, SessionTokenRejection.KeysUnavailable);

    /// <summary>The key was found.</summary>
    public static SigningKeyLookup Found(RsaVerificationKey key) => new(key, null);
}
