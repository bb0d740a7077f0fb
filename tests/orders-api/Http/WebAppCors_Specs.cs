using System.Net;
using OrdersMail.OrdersApi.Tests.Authentication;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Http;

/// <summary>
/// The web app runs on another origin than the API (Clerk:AuthorizedParties), so a browser asks first (a preflight, with
/// no token) and reads an answer only when CORS allows that origin: exactly the configured ones, without credentials.
/// </summary>
public sealed class WebAppCors_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private const string Order = "/api/orders/0b9a4d4e-6f55-4c3a-9a57-6c1a5b0d2f10";
    private const string Message = $"{Order}/messages/5f0c3a1e-2d4b-4f6a-8c9e-1b2d3e4f5a6b";
    private const string WebAppHeaders = "authorization, content-type, idempotency-key, if-none-match";

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", MeRequests.Path },
        { "GET", "/api/orders" },
        { "POST", "/api/orders" },
        { "PATCH", $"{Message}/read" },
        { "GET", $"{Order}/timeline" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task When_the_web_app_asks_before_a_call_Should_allow_its_origin_its_method_and_headers_without_a_sign_in(string method, string path)
    {
        using var client = fixture.Api.CreateClient();

        using var response = await PreflightAsync(client, path, OrdersApiFactory.WebAppOrigin, method);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(OrdersApiFactory.WebAppOrigin, Single(response, "Access-Control-Allow-Origin"));
        Assert.Contains(method, List(response, "Access-Control-Allow-Methods"));
        Assert.Equal(
            ["authorization", "content-type", "idempotency-key", "if-none-match"],
            List(response, "Access-Control-Allow-Headers").Select(h => h.ToLowerInvariant()).Order(StringComparer.Ordinal));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task When_another_origin_asks_Should_allow_it_nothing()
    {
        using var client = fixture.Api.CreateClient();

        using var response = await PreflightAsync(client, "/api/orders", "https://evil.example", "POST");

        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task When_a_second_origin_is_configured_Should_allow_it_too()
    {
        await using var api = fixture.Api.WithClerk(new() { ["Clerk:AuthorizedParties:1"] = "https://shop.example" });
        using var client = api.CreateClient();

        using var response = await PreflightAsync(client, "/api/orders", "https://shop.example", "POST");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://shop.example", Single(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task When_the_web_app_calls_Should_let_it_read_the_answer_and_its_headers()
    {
        using var client = await fixture.SignedInAsync("user_cors");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders");
        request.Headers.Add("Origin", OrdersApiFactory.WebAppOrigin);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OrdersApiFactory.WebAppOrigin, Single(response, "Access-Control-Allow-Origin"));
        Assert.Equal(
            ["etag", "idempotent-replayed", "location", "retry-after", "www-authenticate"],
            List(response, "Access-Control-Expose-Headers").Select(h => h.ToLowerInvariant()).Order(StringComparer.Ordinal));
    }

    // A refused token's reason is in WWW-Authenticate, which the web app reads to sign in again.
    [Fact]
    public async Task When_the_web_app_calls_without_a_token_Should_let_it_read_the_401()
    {
        using var client = fixture.Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, MeRequests.Path);
        request.Headers.Add("Origin", OrdersApiFactory.WebAppOrigin);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(OrdersApiFactory.WebAppOrigin, Single(response, "Access-Control-Allow-Origin"));
        Assert.Contains("WWW-Authenticate", List(response, "Access-Control-Expose-Headers"), StringComparer.OrdinalIgnoreCase);
    }

    // Routing answers these itself, with no endpoint's CORS metadata: without the policy on every /api answer the browser
    // saw no Access-Control-Allow-Origin and reported a network error instead of the problem.
    [Fact]
    public async Task When_the_web_app_sends_a_change_as_text_Should_let_it_read_the_415()
    {
        using var client = await fixture.SignedInAsync("user_cors");
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{Message}/read") { Content = new StringContent("""{"read":true}""") };
        request.Headers.Add("Origin", OrdersApiFactory.WebAppOrigin);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(OrdersApiFactory.WebAppOrigin, Single(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task When_the_web_app_asks_for_an_order_by_its_reference_Should_let_it_read_the_404()
    {
        using var client = await fixture.SignedInAsync("user_cors");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders/ORD-ABC123/timeline");
        request.Headers.Add("Origin", OrdersApiFactory.WebAppOrigin);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(OrdersApiFactory.WebAppOrigin, Single(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task When_the_web_app_asks_an_ops_route_Should_allow_it_nothing()
    {
        using var client = fixture.Api.CreateClient();

        using var response = await PreflightAsync(client, "/agent/handoffs", OrdersApiFactory.WebAppOrigin, "GET");

        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<HttpResponseMessage> PreflightAsync(HttpClient client, string path, string origin, string method)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", WebAppHeaders);
        return await client.SendAsync(request);
    }

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.TryGetValues(header, out var values) ? values : []);

    private static IEnumerable<string> List(HttpResponseMessage response, string header) =>
        (response.Headers.TryGetValues(header, out var values) ? values : [])
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
