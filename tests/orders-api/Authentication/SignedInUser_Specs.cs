using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// <c>GET /api/me</c> over real HTTP with tokens of the sandbox's Clerk: where the token may come from
/// (docs/clerk.md §1) and who it signs in.
/// </summary>
public sealed class SignedInUser_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    [Fact]
    public async Task When_a_good_token_comes_as_bearer_Should_answer_its_user_and_session()
    {
        var (jwt, claims) = await fixture.Sandbox.MintAsync(new { user_id = "user_bearer" });
        using var client = fixture.Api.CreateClient();

        var (userId, sessionId) = await MeRequests.AssertSignedInAsync(await MeRequests.GetWithBearerAsync(client, jwt));

        Assert.Equal("user_bearer", userId);
        Assert.Equal(claims["sid"]!.GetValue<string>(), sessionId);
    }

    [Fact]
    public async Task When_the_fixture_signs_a_client_in_Should_answer_that_user()
    {
        using var client = await fixture.SignedInAsync("user_fixture");

        var (userId, _) = await MeRequests.AssertSignedInAsync(await client.GetAsync(MeRequests.Path));

        Assert.Equal("user_fixture", userId);
    }

    [Fact]
    public async Task When_a_good_token_comes_as_the_session_cookie_Should_answer_its_user()
    {
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_cookie" });
        using var client = fixture.Api.CreateClient();

        var (userId, _) = await MeRequests.AssertSignedInAsync(await MeRequests.GetAsync(client, sessionCookie: jwt));

        Assert.Equal("user_cookie", userId);
    }

    [Fact]
    public async Task When_a_bad_header_comes_with_a_good_cookie_Should_judge_the_header()
    {
        var (good, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_cookie" });
        var (expired, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_header", mode = "expired" });
        using var client = fixture.Api.CreateClient();

        var response = await MeRequests.GetAsync(client, $"Bearer {expired}", good);

        await MeRequests.AssertRefusedAsync(response, SessionTokenRejection.Expired);
    }

    [Fact]
    public async Task When_a_good_header_comes_with_a_bad_cookie_Should_answer_the_headers_user()
    {
        var (good, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_header" });
        using var client = fixture.Api.CreateClient();

        var (userId, _) = await MeRequests.AssertSignedInAsync(await MeRequests.GetAsync(client, $"Bearer {good}", "not-a-token"));

        Assert.Equal("user_header", userId);
    }

    [Fact]
    public async Task When_there_is_no_token_Should_answer_401_with_a_bare_bearer_challenge()
    {
        using var client = fixture.Api.CreateClient();

        await MeRequests.AssertRefusedAsync(await client.GetAsync(MeRequests.Path), SessionTokenRejection.NoToken);
    }

    [Fact]
    public async Task When_the_scheme_is_bearer_in_lower_case_Should_treat_it_as_no_token()
    {
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_lower" });
        using var client = fixture.Api.CreateClient();

        await MeRequests.AssertRefusedAsync(await MeRequests.GetAsync(client, $"bearer {jwt}"), SessionTokenRejection.NoToken);
    }

    [Fact]
    public async Task When_the_header_holds_the_bare_token_Should_take_it_as_clerks_sdk_does()
    {
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_raw" });
        using var client = fixture.Api.CreateClient();

        var (userId, _) = await MeRequests.AssertSignedInAsync(await MeRequests.GetAsync(client, jwt));

        Assert.Equal("user_raw", userId);
    }

    [Fact]
    public async Task When_the_cookie_is_empty_Should_treat_it_as_no_token()
    {
        using var client = fixture.Api.CreateClient();

        await MeRequests.AssertRefusedAsync(await MeRequests.GetAsync(client, sessionCookie: string.Empty), SessionTokenRejection.NoToken);
    }

    [Fact]
    public async Task When_the_token_expired_less_than_the_clock_skew_ago_Should_still_sign_in()
    {
        // A sign-in first, so the one measured is not the first (the host's start, the JWKS fetch): it has the 3 s left
        // of the skew to itself, however busy the machine.
        using var client = fixture.Api.CreateClient();
        var (fresh, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_skew" });
        await MeRequests.AssertSignedInAsync(await MeRequests.GetWithBearerAsync(client, fresh));
        var (jwt, claims) = await fixture.Sandbox.MintAsync(new { user_id = "user_skew", ttl_seconds = 1 });
        var expiredFor2Seconds = DateTimeOffset.FromUnixTimeSeconds(claims["exp"]!.GetValue<long>() + 2);
        await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (expiredFor2Seconds - DateTimeOffset.UtcNow).Ticks)));

        var (userId, _) = await MeRequests.AssertSignedInAsync(await MeRequests.GetWithBearerAsync(client, jwt));

        Assert.Equal("user_skew", userId);
    }
}
