using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
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

    /// <summary>
    /// A database too busy to say whose the order is (every pooled connection taken, a restart): a person's browser gets a
    /// page saying so under the page's headers, which loads itself again after Retry-After, where it showed the API's
    /// problem as raw JSON, never asked again, and without the page's policy; the API's route keeps its problem.
    /// </summary>
    [Fact]
    public async Task When_the_database_is_busy_Should_show_the_busy_page_that_tries_again_and_keep_the_problem_for_the_API()
    {
        const int poolSize = 2;
        var userId = $"user_{Guid.NewGuid():N}";
        using var placing = await fixture.SignedInAsync(userId);
        var orderId = await OrderRequests.PlacedAsync(placing);
        await using var api = fixture.Api.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postgres:MaxPoolSize"] = poolSize.ToString(CultureInfo.InvariantCulture),
            ["Postgres:ConnectionTimeout"] = "00:00:01",
        })));
        using var browser = api.CreateClient();
        browser.DefaultRequestHeaders.Add("Cookie", $"__session={await fixture.Sandbox.MintTokenAsync(userId)}");
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        var held = await HeldPool.HoldEveryConnectionAsync(api.Services.GetRequiredService<NpgsqlDataSource>(), poolSize);
        HttpResponseMessage page;
        HttpResponseMessage timeline;
        try
        {
            page = await browser.GetAsync($"/orders/{orderId}");
            timeline = await browser.GetAsync($"/api/orders/{orderId}/timeline");
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }

        using (page)
        using (timeline)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            var retryAfter = page.Headers.RetryAfter?.Delta;
            Assert.True(retryAfter > TimeSpan.Zero, $"the busy page has no Retry-After: {page.Headers}");
            Assert.Equal(PageHeaders.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains("no-store", page.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            var body = await page.Content.ReadAsStringAsync();
            Assert.Contains("The service is busy", body, StringComparison.Ordinal);
            Assert.Contains($"<meta http-equiv=\"refresh\" content=\"{retryAfter!.Value.TotalSeconds}\">", body, StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, timeline.StatusCode);
            Assert.Equal("application/problem+json", timeline.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(2), timeline.Headers.RetryAfter?.Delta);
        }

        using var again = await browser.GetAsync($"/orders/{orderId}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
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
