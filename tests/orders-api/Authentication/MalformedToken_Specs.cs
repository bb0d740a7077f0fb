using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing.Tokens;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// Tokens refused for what they are rather than what they claim: their shape, their header, their algorithm,
/// whose kind of token they are (docs/clerk.md §5 items 2, 3 and 10). Each is built by hand, most of them
/// around the claims of a good sandbox token so that only the one defect can be the reason.
/// </summary>
public sealed class MalformedToken_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    [Theory]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2ln.c2ln")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9..c2ln")]
    [InlineData("not-a-jwt")]
    public async Task When_the_token_is_not_three_segments_Should_refuse_it_as_malformed(string token)
    {
        await AssertRefusedAsync(token, SessionTokenRejection.Malformed);
    }

    [Theory]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e$J*dWIi.c2ln")]
    [InlineData("eyJhbGci+iJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2ln")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9=.eyJzdWIiOiJ1c2VyXzEifQ.c2ln")]
    [InlineData("%%%.%%%.%%%")]
    public async Task When_a_segment_is_not_base64url_Should_refuse_it_as_malformed(string token)
    {
        await AssertRefusedAsync(token, SessionTokenRejection.Malformed);
    }

    [Fact]
    public async Task When_the_header_is_not_json_Should_refuse_it_as_malformed_json()
    {
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_json" });
        var segments = jwt.Split('.');

        await AssertRefusedAsync($"{Base64Url.EncodeToString("{alg:RS256"u8)}.{segments[1]}.{segments[2]}", SessionTokenRejection.MalformedJson);
    }

    [Fact]
    public async Task When_the_token_is_longer_than_any_session_token_Should_refuse_it_unread()
    {
        var segment = new string('A', 4000);

        await AssertRefusedAsync($"{segment}.{segment}.{segment}", SessionTokenRejection.TooLong);
    }

    [Theory]
    [InlineData("mt_2b4c6d8e0f")]
    [InlineData("oat_2b4c6d8e0f")]
    [InlineData("ak_2b4c6d8e0f")]
    public async Task When_the_token_is_a_machine_token_Should_refuse_it(string token)
    {
        await AssertRefusedAsync(token, SessionTokenRejection.MachineToken);
    }

    [Fact]
    public async Task When_the_token_is_unsigned_with_alg_none_Should_refuse_its_empty_signature_as_malformed()
    {
        var claims = await GoodClaimsAsync();

        await AssertRefusedAsync(Jwt.Compose(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }, claims, string.Empty), SessionTokenRejection.Malformed);
    }

    [Fact]
    public async Task When_alg_none_comes_with_a_signature_Should_refuse_its_algorithm()
    {
        var (jwt, claims) = await fixture.Sandbox.MintAsync(new { user_id = "user_none" });

        var token = Jwt.Compose(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }, claims, jwt.Split('.')[2]);

        await AssertRefusedAsync(token, SessionTokenRejection.UnsupportedAlgorithm);
    }

    [Theory]
    [InlineData("jwks")]
    [InlineData("pem")]
    [InlineData("modulus")]
    public async Task When_an_hs256_token_is_keyed_with_the_public_key_Should_refuse_its_algorithm(string secret)
    {
        var claims = await GoodClaimsAsync();
        var (kid, modulus, pem) = await fixture.Sandbox.SigningKeyAsync();
        var key = secret switch
        {
            "jwks" => await fixture.Sandbox.JwksTextAsync(),
            "pem" => pem,
            _ => modulus,
        };

        var forged = Jwt.SignHs256(new JsonObject { ["alg"] = "HS256", ["kid"] = kid, ["typ"] = "JWT" }, claims, Encoding.UTF8.GetBytes(key));

        await AssertRefusedAsync(forged, SessionTokenRejection.UnsupportedAlgorithm);
    }

    [Fact]
    public async Task When_typ_is_not_jwt_Should_refuse_the_token()
    {
        // The header is checked before the signature, so the re-encoded header's broken signature is never reached.
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_typ" });
        var (header, claims) = Jwt.Decode(jwt);
        header["typ"] = "at+jwt";

        await AssertRefusedAsync(Jwt.Compose(header, claims, jwt.Split('.')[2]), SessionTokenRejection.WrongType);
    }

    private async Task<JsonObject> GoodClaimsAsync() => (await fixture.Sandbox.MintAsync(new { user_id = "user_forged" })).Claims;

    private async Task AssertRefusedAsync(string token, SessionTokenRejection rejection)
    {
        using var client = fixture.Api.CreateClient();
        await MeRequests.AssertRefusedAsync(await MeRequests.GetWithBearerAsync(client, token), rejection);
    }
}
