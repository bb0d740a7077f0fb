using System.Buffers.Text;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;
using OrdersMail.Testing.Tokens;

namespace OrdersMail.MailSandbox.Tests.Clerk;

/// <summary>
/// <c>GET /clerk/.well-known/jwks.json</c> and <c>POST /clerk/tokens</c>: Clerk v2 session tokens a backend can
/// verify with the JWKS, and the bad ones it must reject (docs/clerk.md §2–§6, §8).
/// </summary>
public sealed class ClerkTokens_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    /// <summary>The clock skew Clerk's SDK allows; bad tokens must be bad beyond it.</summary>
    private const long Skew = 5;

    [Fact]
    public async Task When_the_jwks_is_fetched_Should_publish_one_rsa_2048_signing_key()
    {
        var key = Assert.Single(await JwksAsync());

        Assert.Equal("sig", key!["use"]!.GetValue<string>());
        Assert.Equal("RSA", key["kty"]!.GetValue<string>());
        Assert.Equal("RS256", key["alg"]!.GetValue<string>());
        Assert.StartsWith("ins_", key["kid"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("AQAB", key["e"]!.GetValue<string>());
        Assert.Equal(256, Base64Url.DecodeFromChars(key["n"]!.GetValue<string>()).Length);
    }

    [Fact]
    public async Task When_a_token_is_minted_Should_verify_against_the_jwks()
    {
        var minted = await MintAsync(new { });
        var jwt = minted["jwt"]!.GetValue<string>();
        var key = Assert.Single(await JwksAsync());

        var (header, _) = Jwt.Decode(jwt);

        Assert.Equal("RS256", header["alg"]!.GetValue<string>());
        Assert.Equal("JWT", header["typ"]!.GetValue<string>());
        Assert.Equal(key!["kid"]!.GetValue<string>(), header["kid"]!.GetValue<string>());
        Assert.Equal(header["kid"]!.GetValue<string>(), minted["kid"]!.GetValue<string>());
        Assert.True(JwtCheck.VerifiesWith(jwt, key));
    }

    [Fact]
    public async Task When_a_token_is_minted_with_defaults_Should_carry_clerk_v2_claims()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var minted = await MintAsync(new { });
        var (_, claims) = Jwt.Decode(minted["jwt"]!.GetValue<string>());

        var iat = claims["iat"]!.GetValue<long>();
        Assert.InRange(iat, now - Skew, now + Skew);
        Assert.Equal(iat - 10, claims["nbf"]!.GetValue<long>());
        Assert.Equal(iat + 60, claims["exp"]!.GetValue<long>());
        Assert.Equal(2, claims["v"]!.GetValue<int>());
        Assert.Equal("active", claims["sts"]!.GetValue<string>());
        Assert.Equal([0, -1], claims["fva"]!.AsArray().Select(f => f!.GetValue<int>()));
        Assert.StartsWith("user_", claims["sub"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("sess_", claims["sid"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("http://localhost:3000", claims["azp"]!.GetValue<string>());
        Assert.Equal($"{factory.Server.BaseAddress}clerk", claims["iss"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(claims["jti"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(claims, minted["claims"]));
    }

    [Fact]
    public async Task When_claims_are_given_Should_mint_them()
    {
        var minted = await MintAsync(new { user_id = "user_42", session_id = "sess_42", azp = "https://orders.example", ttl_seconds = 300, issuer = "https://clerk.orders.example" });
        var (_, claims) = Jwt.Decode(minted["jwt"]!.GetValue<string>());

        Assert.Equal("user_42", claims["sub"]!.GetValue<string>());
        Assert.Equal("sess_42", claims["sid"]!.GetValue<string>());
        Assert.Equal("https://orders.example", claims["azp"]!.GetValue<string>());
        Assert.Equal(claims["iat"]!.GetValue<long>() + 300, claims["exp"]!.GetValue<long>());
        Assert.Equal("https://clerk.orders.example", claims["iss"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_mode_is_expired_Should_mint_a_token_past_its_exp_beyond_the_skew()
    {
        var minted = await MintAsync(new { mode = "expired" });
        var jwt = minted["jwt"]!.GetValue<string>();
        var (_, claims) = Jwt.Decode(jwt);

        Assert.True(claims["exp"]!.GetValue<long>() < DateTimeOffset.UtcNow.ToUnixTimeSeconds() - Skew);
        Assert.True(JwtCheck.VerifiesWith(jwt, Assert.Single(await JwksAsync())!));
    }

    [Fact]
    public async Task When_mode_is_not_yet_valid_Should_mint_a_token_whose_nbf_and_iat_are_ahead_beyond_the_skew()
    {
        var minted = await MintAsync(new { mode = "not_yet_valid" });
        var (_, claims) = Jwt.Decode(minted["jwt"]!.GetValue<string>());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.True(claims["nbf"]!.GetValue<long>() > now + Skew);
        Assert.True(claims["iat"]!.GetValue<long>() > now + Skew);
        Assert.True(claims["exp"]!.GetValue<long>() > claims["iat"]!.GetValue<long>());
    }

    [Fact]
    public async Task When_mode_is_pending_Should_mint_a_pending_session()
    {
        var minted = await MintAsync(new { mode = "pending" });
        var (_, claims) = Jwt.Decode(minted["jwt"]!.GetValue<string>());

        Assert.Equal("pending", claims["sts"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_mode_is_foreign_azp_Should_mint_for_an_unauthorized_origin()
    {
        var minted = await MintAsync(new { mode = "foreign_azp", azp = "http://localhost:3000" });
        var (_, claims) = Jwt.Decode(minted["jwt"]!.GetValue<string>());

        Assert.Equal("https://evil.example", claims["azp"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_mode_is_foreign_key_Should_sign_with_a_key_the_jwks_does_not_hold()
    {
        var minted = await MintAsync(new { mode = "foreign_key" });
        var jwt = minted["jwt"]!.GetValue<string>();
        var keys = await JwksAsync();
        var (header, _) = Jwt.Decode(jwt);

        Assert.StartsWith("ins_", header["kid"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(header["kid"]!.GetValue<string>(), keys.Select(k => k!["kid"]!.GetValue<string>()));
        Assert.All(keys, k => Assert.False(JwtCheck.VerifiesWith(jwt, k!)));
    }

    [Fact]
    public async Task When_mode_is_no_sub_Should_mint_without_a_subject()
    {
        var minted = await MintAsync(new { mode = "no_sub", user_id = "user_42" });
        var (_, claims) = Jwt.Decode(minted["jwt"]!.GetValue<string>());

        Assert.False(claims.ContainsKey("sub"));
        Assert.StartsWith("sess_", claims["sid"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"mode": "forged"}""")]
    [InlineData("""{"ttl_seconds": 0}""")]
    [InlineData("""{"ttl_seconds": "soon"}""")]
    [InlineData("not json")]
    public async Task When_the_request_is_malformed_Should_answer_400_in_clerks_error_shape(string json)
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/clerk/tokens", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(400, (int)response.StatusCode);
        var error = Assert.Single(body!["errors"]!.AsArray());
        Assert.False(string.IsNullOrEmpty(error!["code"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task When_the_body_is_empty_Should_mint_a_default_token()
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/clerk/tokens", null);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task When_the_sandbox_is_reset_Should_keep_its_keys()
    {
        using var control = factory.CreateClient();
        var before = await JwksAsync();
        var minted = await MintAsync(new { });

        using var reset = await control.PostAsync("/sandbox/reset", null);
        var after = await JwksAsync();

        Assert.Equal(204, (int)reset.StatusCode);
        Assert.True(JsonNode.DeepEquals(before, after));
        Assert.True(JwtCheck.VerifiesWith(minted["jwt"]!.GetValue<string>(), Assert.Single(after)!));
    }

    private async Task<JsonArray> JwksAsync()
    {
        using var client = factory.CreateClient();
        var jwks = await client.GetFromJsonAsync<JsonObject>("/clerk/.well-known/jwks.json");
        return jwks!["keys"]!.AsArray();
    }

    private async Task<JsonObject> MintAsync(object request)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/clerk/tokens", request);
        Assert.Equal(200, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
