namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// The networkless key source: the one PEM key configured as <see cref="ClerkSessionOptions.PublicKeyPem"/>. Like
/// Clerk's SDK with a <c>jwtKey</c>, it verifies every token with that key whatever its <c>kid</c> says.
/// </summary>
public sealed class PinnedSigningKey(RsaVerificationKey key) : ISigningKeySource
{
    private readonly SigningKeyLookup _found = SigningKeyLookup.Found(key);

    /// <inheritdoc />
    public ValueTask<SigningKeyLookup> FindAsync(string? kid, CancellationToken cancellationToken) => ValueTask.FromResult(_found);
}
