using System.Net;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Tests.Agent;
using OrdersMail.OrdersApi.Tests.Authentication;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.OrdersApi.Tests.Http;

/// <summary>
/// The API also signs in by the <c>__session</c> cookie, and a shared cache that passes cookies on without keying on
/// them may store an answer and serve it to the next user (RFC 9111 keeps it from answers to requests with
/// <c>Authorization</c> only); a browser shows a stored one on back/forward after sign-out. So every answer about a user
/// says <c>private, no-store</c>, errors included, unless its route says otherwise: the timeline, <c>private, no-cache</c>
/// with its ETag, which its polls ask again with.
/// </summary>
public sealed class ApiCacheHeaders_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private readonly ConversationScenario _scenario = new(fixture);

    [Fact]
    public async Task When_signed_in_by_the_session_cookie_alone_Should_let_no_cache_store_any_answer()
    {
        var userId = $"user_{Guid.NewGuid():N}";
        using var owner = await fixture.SignedInAsync(userId);
        using var browser = await CookieClientAsync(userId);
        using var other = await CookieClientAsync($"user_{Guid.NewGuid():N}");
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var messageId = ConversationHttp.IdOf(await _scenario.DeliverAsync(browser, ConversationScenario.Routed(orderId)));

        var answers = new (HttpClient Client, string Path, HttpStatusCode Status)[]
        {
            (browser, MeRequests.Path, HttpStatusCode.OK),
            (browser, "/api/orders", HttpStatusCode.OK),
            (browser, $"/api/orders/{orderId}", HttpStatusCode.OK),
            (browser, ConversationHttp.Messages(orderId), HttpStatusCode.OK),
            (browser, ConversationHttp.Message(orderId, messageId), HttpStatusCode.OK),
            (browser, $"/api/orders/{orderId}/emails", HttpStatusCode.OK),
            (browser, "/api/orders?limit=0", HttpStatusCode.BadRequest),
            (other, $"/api/orders/{orderId}", HttpStatusCode.NotFound),
            (other, $"/api/orders/{orderId}/timeline", HttpStatusCode.NotFound),
        };

        foreach (var (client, path, status) in answers)
        {
            using var response = await client.GetAsync(path);

            Assert.True(response.StatusCode == status, $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            AssertNotStored(response, $"GET {path}");
        }
    }

    [Fact]
    public async Task Should_keep_the_timeline_private_and_revalidated_with_its_etag()
    {
        var userId = $"user_{Guid.NewGuid():N}";
        using var owner = await fixture.SignedInAsync(userId);
        using var browser = await CookieClientAsync(userId);
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);

        using var first = await browser.GetAsync($"/api/orders/{orderId}/timeline");
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{orderId}/timeline");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var unchanged = await browser.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        foreach (var response in new[] { first, unchanged })
        {
            Assert.NotNull(response.Headers.ETag);
            var cacheControl = response.Headers.CacheControl;
            Assert.True(cacheControl is { Private: true, NoCache: true, NoStore: false }, $"{(int)response.StatusCode}: Cache-Control: {cacheControl}");
        }
    }

    [Fact]
    public async Task When_ops_read_the_hand_offs_Should_let_no_cache_store_them()
    {
        using var ops = fixture.Api.CreateClient().WithOpsKey();

        using var response = await ops.GetAsync(HandoffsHttp.Route);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNotStored(response, $"GET {HandoffsHttp.Route}");
    }

    private static void AssertNotStored(HttpResponseMessage response, string request)
    {
        var cacheControl = response.Headers.CacheControl;
        Assert.True(cacheControl is { Private: true, NoStore: true }, $"{request} ({(int)response.StatusCode}) said Cache-Control: {cacheControl}");
    }

    // No Authorization header: the cookie is what clerk-js sends on the web app's own origin.
    private async Task<HttpClient> CookieClientAsync(string userId)
    {
        var client = fixture.Api.CreateClient();
        client.DefaultRequestHeaders.Add("Cookie", $"{SessionTokenSource.SessionCookie}={await fixture.Sandbox.MintTokenAsync(userId)}");
        return client;
    }
}
