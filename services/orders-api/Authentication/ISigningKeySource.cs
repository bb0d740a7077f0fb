namespace OrdersMail.OrdersApi.Authentication;

/// <summary>Where session tokens' signing keys come from: the pinned PEM key or the issuer's JWKS.</summary>
public interface ISigningKeySource
{
    /// <summary>The key a token's header names by <paramref name="kid"/>, or why there is none.</summary>
    ValueTask<SigningKeyLookup> FindAsync(string? kid, CancellationToken cancellationToken);
}
