using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// A class fixture: orders-api trusting a key of the specs' own (pinned, as with <c>Clerk:PublicKeyPem</c>) on a
/// clock they move, and Clerk v2 claims to sign with that key. Tokens go to <c>GET /api/me</c> over HTTP, so what
/// is checked is the real JwtBearer pipeline.
/// </summary>
public sealed class PinnedClerkFixture : IAsyncLifetime
{
    /// <summary>Where the clock starts, and when <see cref="Claims"/> are issued.</summary>
    public const long Now = 1_700_000_000;

    /// <summary>The configured issuer.</summary>
    public const string Issuer = "https://clerk.orders.test";

    /// <summary>The one authorized party.</summary>
    public const string WebApp = OrdersApiFactory.WebAppOrigin;

    private readonly OrdersApiFixture _orders = new();
    private WebApplicationFactory<Program>? _api;

    /// <summary>The issuer's key.</summary>
    public TestSigningKey Key { get; } = new("ins_specs");

    /// <summary>The clock of the Clerk scheme, at <see cref="Now"/> until moved.</summary>
    public ManualClock Clock { get; } = ManualClock.At(Now);

    /// <summary>orders-api on the fixture's database and broker, as configured for the specs.</summary>
    public OrdersApiFactory Orders => _orders.Api;

    /// <summary>
    /// What <c>GET /api/me</c> says of <paramref name="token"/> sent as bearer: null when it signs in, else the
    /// rejection, once the 401 (the 503 for keys that could not be fetched) is checked to have the full refusal's shape.
    /// </summary>
    public Task<SessionTokenRejection?> RefusalAsync(string token) => RefusalAsync(_api!, token);

    /// <summary>What <c>GET /api/me</c> of <paramref name="api"/> says of <paramref name="token"/> sent as bearer.</summary>
    public static async Task<SessionTokenRejection?> RefusalAsync(WebApplicationFactory<Program> api, string token)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var client = api.CreateClient();
        using var response = await MeRequests.GetWithBearerAsync(client, token);
        if (response.IsSuccessStatusCode)
        {
            await MeRequests.AssertSignedInAsync(response);
            return null;
        }

        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var code = problem[SessionTokenRejection.ReasonExtension]?.GetValue<string>();
        var rejection = SessionTokenRejection.All.Append(SessionTokenRejection.Unexpected).SingleOrDefault(r => r.Code == code);
        Assert.True(rejection is not null, $"{(int)response.StatusCode}: {problem}");
        await (rejection == SessionTokenRejection.KeysUnavailable
            ? MeRequests.AssertKeysUnavailableAsync(response)
            : MeRequests.AssertRefusedAsync(response, rejection));
        return rejection;
    }

    /// <summary>The scheme's own answer for <paramref name="token"/> as bearer, in process: the signed-in principal or the failure.</summary>
    public async Task<AuthenticateResult> AuthenticateAsync(string token)
    {
        await using var scope = _api!.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = $"Bearer {token}";
        return await context.AuthenticateAsync(ClerkAuthentication.SchemeName);
    }

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
    public async Task InitializeAsync()
    {
        await _orders.InitializeAsync();
        _api = Orders.WithClerk(
            new()
            {
                ["Clerk:PublicKeyPem"] = Key.Rsa.ExportSubjectPublicKeyInfoPem(),
                ["Clerk:JwksUrl"] = ClosedPort.JwksUrl(),
                ["Clerk:Issuer"] = Issuer,
            },
            Clock);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        await _orders.DisposeAsync();
        Key.Dispose();
    }
}
