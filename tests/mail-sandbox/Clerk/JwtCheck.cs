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
    /// <summary>The decoded header and payload.</summary>
    public static (JsonObject Header, JsonObject Claims) Decode(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        return (Part(parts[0]), Part(parts[1]));
    }

    /// <summary>True when the signature verifies against the JWK's RSA public key (<c>n</c>, <c>e</c>).</summary>
    public static bool VerifiesWith(string jwt, JsonNode jwk)
    {
        var parts = jwt.Split('.');
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = FromBase64Url(jwk["n"]!.GetValue<string>()),
            Exponent = FromBase64Url(jwk["e"]!.GetValue<string>()),
        });
        return rsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>Base64url (no padding, <c>-</c> and <c>_</c>) to bytes.</summary>
    public static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    private static JsonObject Part(string encoded) => JsonNode.Parse(FromBase64Url(encoded))!.AsObject();
}
