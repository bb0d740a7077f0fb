using System.Buffers.Text;
using System.Security.Cryptography;

namespace OrdersMail.MailSandbox.Clerk;

/// <summary>An RSA-2048 key with its <c>kid</c>, signing RS256 (RSASSA-PKCS1-v1_5 with SHA-256).</summary>
public sealed class SigningKey : IDisposable
{
    private readonly RSA _rsa;

    private SigningKey(string kid, RSA rsa)
    {
        Kid = kid;
        _rsa = rsa;
    }

    /// <summary>The key id tokens name in their header, <c>ins_…</c> like a Clerk instance key.</summary>
    public string Kid { get; }

    /// <summary>A new random key.</summary>
    public static SigningKey Generate(string kid) => new(kid, RSA.Create(2048));

    /// <summary>The RS256 signature of <paramref name="data"/>.</summary>
    public byte[] Sign(byte[] data) => _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>The public half as a JWKS entry.</summary>
    public JsonWebKey ToJwk()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return new JsonWebKey("sig", "RSA", Kid, "RS256", Base64Url.EncodeToString(parameters.Modulus), Base64Url.EncodeToString(parameters.Exponent));
    }

    /// <inheritdoc />
    public void Dispose() => _rsa.Dispose();
}

/// <summary>One entry of <c>/.well-known/jwks.json</c>, in Clerk's field order.</summary>
/// <param name="Use">Always <c>sig</c>.</param>
/// <param name="Kty">Always <c>RSA</c>.</param>
/// <param name="Kid">The key id.</param>
/// <param name="Alg">Always <c>RS256</c>.</param>
/// <param name="N">The modulus, base64url.</param>
/// <param name="E">The exponent, base64url (<c>AQAB</c>).</param>
public sealed record JsonWebKey(string Use, string Kty, string Kid, string Alg, string N, string E);
