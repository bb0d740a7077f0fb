using System.Buffers.Text;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>The sandbox's Clerk as these specs use it: tokens with any of the mint options, and its JWKS.</summary>
public static class SandboxClerk
{
    /// <summary>
    /// A token minted with <paramref name="request"/> (<c>user_id</c>, <c>mode</c>, <c>azp</c>, <c>ttl_seconds</c>,
    /// <c>issuer</c>, <c>session_id</c>), and its claims as signed.
    /// </summary>
    public static async Task<(string Jwt, JsonObject Claims)> MintAsync(this MailSandboxServer sandbox, object request)
    {
        var response = await sandbox.Http.PostAsJsonAsync("clerk/tokens", request);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["jwt"]!.GetValue<string>(), body["claims"]!.AsObject());
    }

    /// <summary>The JWKS exactly as served.</summary>
    public static Task<string> JwksTextAsync(this MailSandboxServer sandbox) => sandbox.Http.GetStringAsync(new Uri(sandbox.ClerkJwksUrl));

    /// <summary>The JWKS's one key as <c>(kid, modulus n as base64url, SPKI PEM)</c>.</summary>
    public static async Task<(string Kid, string Modulus, string Pem)> SigningKeyAsync(this MailSandboxServer sandbox)
    {
        var key = JsonNode.Parse(await sandbox.JwksTextAsync())!["keys"]!.AsArray().Single()!;
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(key["n"]!.GetValue<string>()),
            Exponent = Base64Url.DecodeFromChars(key["e"]!.GetValue<string>()),
        });
        return (key["kid"]!.GetValue<string>(), key["n"]!.GetValue<string>(), rsa.ExportSubjectPublicKeyInfoPem());
    }
}
