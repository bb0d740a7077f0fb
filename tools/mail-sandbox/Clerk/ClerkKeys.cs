using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Clerk;

/// <summary>
/// The instance's signing key, generated at start and published in the JWKS, and a foreign key that is never
/// published, for tokens a backend must reject as signed by someone else. Neither is sandbox state: a reset keeps
/// them, so backends that cached the JWKS go on verifying.
/// </summary>
public sealed class ClerkKeys : IDisposable
{
    /// <summary>The key behind the JWKS.</summary>
    public SigningKey Instance { get; } = SigningKey.Generate(Ids.New("ins_"));

    /// <summary>A key whose kid is not in the JWKS.</summary>
    public SigningKey Foreign { get; } = SigningKey.Generate(Ids.New("ins_"));

    /// <summary>The body of <c>/.well-known/jwks.json</c>.</summary>
    public object Jwks() => new { keys = new[] { Instance.ToJwk() } };

    /// <inheritdoc />
    public void Dispose()
    {
        Instance.Dispose();
        Foreign.Dispose();
    }
}
