using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OrdersMail.Testing.Tokens;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>An RSA-2048 key of the test's own with its kid: the issuer of the validator's unit specs.</summary>
public sealed class TestSigningKey : IDisposable
{
    /// <summary>A new random key named <paramref name="kid"/>.</summary>
    public TestSigningKey(string kid)
    {
        Kid = kid;
        Rsa = RSA.Create(2048);
    }

    /// <summary>The key id in the JWKS and in the tokens' headers.</summary>
    public string Kid { get; }

    /// <summary>The key pair.</summary>
    public RSA Rsa { get; }

    /// <summary>The public half as a JWKS entry.</summary>
    public JsonObject Jwk()
    {
        var parameters = Rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["use"] = "sig",
            ["kty"] = "RSA",
            ["kid"] = Kid,
            ["alg"] = "RS256",
            ["n"] = Base64Url.EncodeToString(parameters.Modulus),
            ["e"] = Base64Url.EncodeToString(parameters.Exponent),
        };
    }

    /// <summary>The header Clerk puts on its tokens, naming this key.</summary>
    public JsonObject Header() => new() { ["alg"] = "RS256", ["kid"] = Kid, ["typ"] = "JWT" };

    /// <summary>An RS256 token over <paramref name="claims"/> with <see cref="Header"/>.</summary>
    public string Sign(JsonObject claims) => Jwt.SignRs256(Header(), claims, Rsa);

    /// <summary>The body of a JWKS holding <paramref name="keys"/>.</summary>
    public static string JwksOf(params TestSigningKey[] keys) =>
        new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.Jwk())]) }.ToJsonString();

    /// <inheritdoc />
    public void Dispose() => Rsa.Dispose();
}
