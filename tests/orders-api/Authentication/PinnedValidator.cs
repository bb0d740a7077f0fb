using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OrdersMail.OrdersApi.Authentication;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// A <see cref="SessionTokenValidator"/> trusting a key of the specs' own (pinned, as with <c>Clerk:PublicKeyPem</c>)
/// on a clock they move, and Clerk v2 claims to sign with that key.
/// </summary>
public sealed class PinnedValidator : IDisposable
{
    /// <summary>Where the clock starts, and when <see cref="Claims"/> are issued.</summary>
    public const long Now = 1_700_000_000;

    /// <summary>The configured issuer.</summary>
    public const string Issuer = "https://clerk.orders.test";

    /// <summary>The one authorized party.</summary>
    public const string WebApp = "http://localhost:3000";

    private readonly SessionTokenValidator _validator;

    public PinnedValidator()
    {
        var options = new ClerkSessionOptions { Issuer = Issuer };
        options.AuthorizedParties.Add(WebApp);
        var pinned = new PinnedSigningKey(RsaVerificationKey.FromPem(Key.Rsa.ExportSubjectPublicKeyInfoPem()));
        _validator = new SessionTokenValidator(options, pinned, Clock);
    }

    /// <summary>The issuer's key.</summary>
    public TestSigningKey Key { get; } = new("ins_specs");

    /// <summary>The validator's clock, at <see cref="Now"/> until moved.</summary>
    public ManualClock Clock { get; } = ManualClock.At(Now);

    /// <summary>Validates <paramref name="token"/> as the handler would.</summary>
    public Task<SessionTokenValidation> ValidateAsync(string token) => _validator.ValidateAsync(token, "Clerk", CancellationToken.None);

    /// <summary>A token of exactly these header and payload bytes, signed RS256 with <see cref="Key"/>.</summary>
    public string SignRaw(byte[] header, byte[] payload)
    {
        var signingInput = $"{Base64Url.EncodeToString(header)}.{Base64Url.EncodeToString(payload)}";
        var signature = Key.Rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>Clerk v2 claims issued at <see cref="Now"/>, with what a spec changes.</summary>
    public static JsonObject Claims(long? exp = null, long? nbf = null, long? iat = null, string iss = Issuer, string sub = "user_specs", string sts = "active") => new()
    {
        ["azp"] = WebApp,
        ["exp"] = exp ?? Now + 60,
        ["fva"] = new JsonArray(0, -1),
        ["iat"] = iat ?? Now,
        ["iss"] = iss,
        ["jti"] = "0123456789abcdef0123",
        ["nbf"] = nbf ?? Now - 10,
        ["sid"] = "sess_specs",
        ["sts"] = sts,
        ["sub"] = sub,
        ["v"] = 2,
    };

    /// <inheritdoc />
    public void Dispose() => Key.Dispose();
}
