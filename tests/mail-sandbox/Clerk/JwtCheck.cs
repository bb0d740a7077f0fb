using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace OrdersMail.MailSandbox.Tests.Clerk;

/// <summary>
/// An RS256 check written from RFC 7515/7518 with .NET's own RSA, independent of the sandbox's minter: what a
/// backend does with a Clerk token and the JWKS.
/// </summary>
public static class JwtCheck
{
    /// <summary>True when the signature verifies against the JWK's RSA public key (<c>n</c>, <c>e</c>).</summary>
    public static bool VerifiesWith(string jwt, JsonNode jwk)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        ArgumentNullException.ThrowIfNull(jwk);
        var parts = jwt.Split('.');
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(jwk["n"]!.GetValue<string>()),
            Exponent = Base64Url.DecodeFromChars(jwk["e"]!.GetValue<string>()),
        });
        return rsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
