using System.Net;
using OrdersMail.OrdersApi.Tests.Orders;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.OrdersApi.Timeline;

namespace OrdersMail.OrdersApi.Tests.Timeline;

/// <summary>
/// <c>GET /orders/{id}</c> over HTTP: which page each caller gets, with which headers. The browser specs
/// (<see cref="TimelineBrowser_Specs"/>) show what the page then does.
/// </summary>
public sealed class TimelinePage_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    [Fact]
    public async Task Should_serve_the_owner_the_page_under_a_strict_content_security_policy()
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await OrderRequests.PlacedAsync(owner);

        using var page = await owner.GetAsync($"/orders/{orderId}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PageHeaders.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("no-store", page.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Contains("/timeline-assets/timeline.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_show_another_user_the_not_found_page_with_nothing_of_the_order()
    {
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        using var other = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await OrderRequests.PlacedAsync(owner);
        var orderRef = (await OrderRequests.GetAsync(owner, orderId))["order_ref"]!.GetValue<string>();

        using var theirs = await other.GetAsync($"/orders/{orderId}");
        using var unknown = await other.GetAsync($"/orders/{Guid.NewGuid()}");
        using var notAnId = await other.GetAsync("/orders/not-an-id");

        foreach (var response in new[] { theirs, unknown, notAnId })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }

        var body = await theirs.Content.ReadAsStringAsync();
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), body);
        Assert.Contains("No such order", body, StringComparison.Ordinal);
        Assert.DoesNotContain(orderRef, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_show_the_signed_out_page_as_a_401_without_a_token_or_with_a_refused_one()
    {
        using var anonymous = fixture.Api.CreateClient();
        using var expired = fixture.Api.CreateClient();
        expired.DefaultRequestHeaders.Add("Cookie", $"__session={await fixture.Sandbox.MintTokenAsync("user_expired", mode: "expired")}");

        foreach (var client in new[] { anonymous, expired })
        {
            using var response = await client.GetAsync($"/orders/{Guid.NewGuid()}");

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Contains("Sign in to see this order", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Should_serve_the_stylesheet_and_script_to_anyone_and_nothing_else()
    {
        using var anonymous = fixture.Api.CreateClient();

        using var script = await anonymous.GetAsync("/timeline-assets/timeline.js");
        using var style = await anonymous.GetAsync("/timeline-assets/timeline.css");
        using var page = await anonymous.GetAsync("/timeline-assets/timeline.html");

        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, style.StatusCode);
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }

    [Fact]
    public async Task Should_keep_the_script_from_putting_data_in_the_page_as_markup()
    {
        using var anonymous = fixture.Api.CreateClient();

        var script = await anonymous.GetStringAsync("/timeline-assets/timeline.js");

        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(" })
        {
            Assert.DoesNotContain(sink, script, StringComparison.Ordinal);
        }
    }
}
