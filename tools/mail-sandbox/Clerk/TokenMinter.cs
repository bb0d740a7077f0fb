using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Clerk;

/// <summary>
/// Mints Clerk v2 session tokens by hand: base64url header and payload, signed RS256 with <see cref="ClerkKeys"/>.
/// Claims follow Clerk's fixed set: <c>nbf = iat − 10</c> (its clock skew), <c>exp = iat + ttl</c>, <c>fva</c>,
/// <c>v: 2</c>, <c>sts</c>.
/// </summary>
public sealed class TokenMinter(ClerkKeys keys, TimeProvider time)
{
    /// <summary>Clerk's default token lifetime.</summary>
    public const int DefaultTtlSeconds = 60;

    /// <summary>The origin tokens are minted for unless another is asked for.</summary>
    public const string DefaultAzp = "http://localhost:3000";

    /// <summary>The origin of <see cref="TokenModes.ForeignAzp"/> tokens.</summary>
    public const string ForeignAzp = "https://evil.example";

    /// <summary>Mints a token for <paramref name="request"/>, whose mode must be null or one of <see cref="TokenModes.All"/>.</summary>
    public MintedToken Mint(TokenRequest request, string defaultIssuer)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ttl = request.TtlSeconds ?? DefaultTtlSeconds;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var iat = request.Mode switch
        {
            TokenModes.Expired => now - ttl - 60,
            TokenModes.NotYetValid => now + 120,
            _ => now,
        };

        var claims = new JsonObject
        {
            ["azp"] = request.Mode == TokenModes.ForeignAzp ? ForeignAzp : request.Azp ?? DefaultAzp,
            ["exp"] = iat + ttl,
            ["fva"] = new JsonArray(0, -1),
            ["iat"] = iat,
            ["iss"] = request.Issuer ?? defaultIssuer,
            ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)),
            ["nbf"] = iat - 10,
            ["sid"] = request.SessionId ?? Ids.New("sess_"),
            ["sts"] = request.Mode == TokenModes.Pending ? "pending" : "active",
            ["sub"] = request.UserId ?? Ids.New("user_"),
            ["v"] = 2,
        };
        if (request.Mode == TokenModes.NoSub)
        {
            claims.Remove("sub");
        }

        var key = request.Mode == TokenModes.ForeignKey ? keys.Foreign : keys.Instance;
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = key.Kid, ["typ"] = "JWT" };
        var signingInput = $"{Encode(header)}.{Encode(claims)}";
        var signature = Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
        return new MintedToken($"{signingInput}.{signature}", key.Kid, claims);
    }

    private static string Encode(JsonObject part) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(part.ToJsonString()));
}

/// <summary>The answer of <c>POST /clerk/tokens</c>.</summary>
/// <param name="Jwt">The compact token, for <c>Authorization: Bearer</c> or the <c>__session</c> cookie.</param>
/// <param name="Kid">The key id in its header.</param>
/// <param name="Claims">Its payload, as signed.</param>
public sealed record MintedToken(string Jwt, string Kid, JsonObject Claims);
