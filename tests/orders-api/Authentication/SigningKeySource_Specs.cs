using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.OrdersApi.Timeline;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// Where orders-api gets Clerk's public key (docs/clerk.md §3): a configured PEM key needs no JWKS at all,
/// and a JWKS that cannot be fetched answers 503 with Retry-After and reason jwks_unavailable, never a 500. Each spec runs
/// its own orders-api host, configured like the fixture's but for the Clerk settings it names.
/// </summary>
/// <remarks>
/// Until 2026-12-07 it answered 401 invalid_token, which told the web app to sign the user in again, and the new token was
/// refused the same way: a sign-in loop for every user while Clerk or the network was away. The token may be good; only
/// the keys to verify it are missing, so the answer says to ask again.
/// </remarks>
public sealed class SigningKeySource_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    [Fact]
    public async Task When_a_public_key_pem_is_configured_Should_verify_tokens_without_any_jwks()
    {
        var (_, _, pem) = await fixture.Sandbox.SigningKeyAsync();
        await using var api = HostWith(new() { ["Clerk:PublicKeyPem"] = pem, ["Clerk:JwksUrl"] = ClosedPort.JwksUrl() });
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_pinned" });
        using var client = api.CreateClient();

        var (userId, _) = await MeRequests.AssertSignedInAsync(await MeRequests.GetWithBearerAsync(client, jwt));

        Assert.Equal("user_pinned", userId);
    }

    [Fact]
    public async Task When_a_public_key_pem_is_configured_Should_refuse_tokens_signed_by_any_other_key()
    {
        var (_, _, pem) = await fixture.Sandbox.SigningKeyAsync();
        await using var api = HostWith(new() { ["Clerk:PublicKeyPem"] = pem, ["Clerk:JwksUrl"] = ClosedPort.JwksUrl() });
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_pinned", mode = "foreign_key" });
        using var client = api.CreateClient();

        await MeRequests.AssertRefusedAsync(await MeRequests.GetWithBearerAsync(client, jwt), SessionTokenRejection.BadSignature);
    }

    [Fact]
    public async Task When_the_jwks_cannot_be_reached_Should_answer_503_saying_the_keys_could_not_be_fetched()
    {
        await using var api = HostWith(new() { ["Clerk:JwksUrl"] = ClosedPort.JwksUrl() });
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_unverifiable" });
        using var client = api.CreateClient();

        await MeRequests.AssertKeysUnavailableAsync(await MeRequests.GetWithBearerAsync(client, jwt));
    }

    [Fact]
    public async Task When_the_jwks_url_answers_404_Should_answer_503_saying_the_keys_could_not_be_fetched()
    {
        await using var api = HostWith(new() { ["Clerk:JwksUrl"] = new Uri(fixture.Sandbox.BaseUrl, "clerk/nowhere/jwks.json").ToString() });
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_unverifiable" });
        using var client = api.CreateClient();

        await MeRequests.AssertKeysUnavailableAsync(await MeRequests.GetWithBearerAsync(client, jwt));
    }

    [Fact]
    public async Task When_the_jwks_cannot_be_reached_Should_let_the_web_app_read_the_503()
    {
        await using var api = HostWith(new() { ["Clerk:JwksUrl"] = ClosedPort.JwksUrl() });
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_unverifiable" });
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders");
        request.Headers.Add("Authorization", $"Bearer {jwt}");
        request.Headers.Add("Origin", OrdersApiFactory.WebAppOrigin);

        using var response = await client.SendAsync(request);

        await MeRequests.AssertKeysUnavailableAsync(response);
        Assert.Equal(OrdersApiFactory.WebAppOrigin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    // A person would be sent to sign in again, and refused again the same way.
    [Fact]
    public async Task When_the_jwks_cannot_be_reached_Should_show_the_timeline_page_busy_rather_than_signed_out()
    {
        await using var api = HostWith(new() { ["Clerk:JwksUrl"] = ClosedPort.JwksUrl() });
        using var browser = api.CreateClient();
        browser.DefaultRequestHeaders.Add("Cookie", $"__session={await fixture.Sandbox.MintTokenAsync("user_unverifiable")}");

        using var page = await browser.GetAsync($"/orders/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(BusyPage.RetryAfterSeconds), page.Headers.RetryAfter?.Delta);
        Assert.Empty(page.Headers.WwwAuthenticate);
        Assert.Contains("The service is busy", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private WebApplicationFactory<Program> HostWith(Dictionary<string, string?> clerkSettings) =>
        fixture.Api.WithWebHostBuilder(host => host.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(clerkSettings)));
}
