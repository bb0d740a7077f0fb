using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// Where orders-api gets Clerk's public key (docs/clerk.md §3): a configured PEM key needs no JWKS at all,
/// and a JWKS that cannot be fetched refuses tokens with a 401 that says so, never a 500. Each spec runs its own
/// orders-api host, configured like the fixture's but for the Clerk settings it names.
/// </summary>
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
    public async Task When_the_jwks_cannot_be_reached_Should_refuse_tokens_saying_the_keys_could_not_be_fetched()
    {
        await using var api = HostWith(new() { ["Clerk:JwksUrl"] = ClosedPort.JwksUrl() });
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_unverifiable" });
        using var client = api.CreateClient();

        await MeRequests.AssertRefusedAsync(await MeRequests.GetWithBearerAsync(client, jwt), SessionTokenRejection.KeysUnavailable);
    }

    [Fact]
    public async Task When_the_jwks_url_answers_404_Should_refuse_tokens_saying_the_keys_could_not_be_fetched()
    {
        await using var api = HostWith(new() { ["Clerk:JwksUrl"] = new Uri(fixture.Sandbox.BaseUrl, "clerk/nowhere/jwks.json").ToString() });
        var (jwt, _) = await fixture.Sandbox.MintAsync(new { user_id = "user_unverifiable" });
        using var client = api.CreateClient();

        await MeRequests.AssertRefusedAsync(await MeRequests.GetWithBearerAsync(client, jwt), SessionTokenRejection.KeysUnavailable);
    }

    private WebApplicationFactory<Program> HostWith(Dictionary<string, string?> clerkSettings) =>
        fixture.Api.WithWebHostBuilder(host => host.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(clerkSettings)));
}
