using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing.Tokens;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// Well-formed RS256 tokens refused for their key, signature or claims (docs/clerk.md §5 items 4 to 9),
/// each minted by the sandbox's Clerk in the mode that breaks exactly one check.
/// </summary>
public sealed class RefusedSessionToken_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    [Theory]
    [InlineData("foreign_key", "unknown_kid")]
    [InlineData("expired", "expired")]
    [InlineData("not_yet_valid", "not_yet_valid")]
    [InlineData("pending", "pending")]
    [InlineData("foreign_azp", "unauthorized_azp")]
    [InlineData("no_sub", "missing_sub")]
    public async Task When_the_sandbox_mints_a_bad_token_Should_refuse_it_for_that_reason(string mode, string reason)
    {
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_refused", mode });

        await AssertRefusedAsync(jwt, SessionTokenRejection.All.Single(r => r.Code == reason));
    }

    [Fact]
    public async Task When_the_azp_is_another_origin_than_the_web_app_Should_refuse_the_token()
    {
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_refused", azp = "http://localhost:3001" });

        await AssertRefusedAsync(jwt, SessionTokenRejection.UnauthorizedParty);
    }

    [Fact]
    public async Task When_another_issuer_minted_the_token_Should_refuse_it()
    {
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_refused", issuer = "https://clerk.someone-else.example" });

        await AssertRefusedAsync(jwt, SessionTokenRejection.WrongIssuer);
    }

    [Fact]
    public async Task When_a_claim_was_changed_after_signing_Should_refuse_the_signature()
    {
        var (jwt, claims) = await fixture.Sandbox.MintAsync(new { user_id = "user_victim" });
        var (header, _) = Jwt.Decode(jwt);
        var tampered = claims.DeepClone().AsObject();
        tampered["sub"] = "user_attacker";

        await AssertRefusedAsync(Jwt.Compose(header, tampered, jwt.Split('.')[2]), SessionTokenRejection.BadSignature);
    }

    [Fact]
    public async Task When_the_signature_is_another_tokens_Should_refuse_it()
    {
        var (first, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_first" });
        var (second, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_second" });
        var segments = first.Split('.');

        await AssertRefusedAsync($"{segments[0]}.{segments[1]}.{second.Split('.')[2]}", SessionTokenRejection.BadSignature);
    }

    [Fact]
    public async Task When_a_token_lives_longer_than_the_default_Should_be_accepted_until_it_expires()
    {
        var (jwt, claims) = await fixture.Sandbox.MintAsync(new { user_id = "user_long", ttl_seconds = 3600 });
        using var client = fixture.Api.CreateClient();

        var (userId, _) = await MeRequests.AssertSignedInAsync(await MeRequests.GetWithBearerAsync(client, jwt));

        Assert.Equal("user_long", userId);
        Assert.Equal(claims["iat"]!.GetValue<long>() + 3600, claims["exp"]!.GetValue<long>());
    }

    private async Task AssertRefusedAsync(string token, SessionTokenRejection rejection)
    {
        using var client = fixture.Api.CreateClient();
        await MeRequests.AssertRefusedAsync(await MeRequests.GetWithBearerAsync(client, token), rejection);
    }
}
