using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Timeline;

/// <summary>The OpenAPI document describes the timeline's JSON route, errors as problem+json, and the page's HTML answers, its busy page too.</summary>
public sealed class TimelineOpenApi_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    [Fact]
    public async Task Should_describe_every_answer_of_the_timeline_and_its_page()
    {
        using var client = fixture.Api.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["paths"]!;

        var timeline = paths["/api/orders/{id}/timeline"]!["get"]!["responses"]!.AsObject();
        Assert.Equal(["200", "304", "401", "404", "503"], timeline.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.NotNull(timeline["200"]!["content"]!["application/json"]);
        Assert.NotNull(timeline["200"]!["headers"]?["ETag"]);
        Assert.Null(timeline["304"]!["content"]);
        Assert.NotNull(timeline["304"]!["headers"]?["ETag"]);
        Assert.Contains(paths["/api/orders/{id}/timeline"]!["get"]!["parameters"]!.AsArray(), p => p!["in"]!.GetValue<string>() == "header" && p["name"]!.GetValue<string>() == "If-None-Match");
        Assert.NotNull(timeline["401"]!["content"]!["application/problem+json"]);
        Assert.NotNull(timeline["404"]!["content"]!["application/problem+json"]);
        Assert.NotNull(timeline["503"]!["content"]!["application/problem+json"]);

        // The page's answers are all HTML, a database too busy to ask whose order it is too: the busy page, with Retry-After.
        var page = paths["/orders/{id}"]!["get"]!["responses"]!.AsObject();
        Assert.Equal(["200", "401", "404", "503"], page.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.All(page, r => Assert.Equal(["text/html"], r.Value!["content"]!.AsObject().Select(c => c.Key)));
        Assert.Equal("integer", page["503"]!["headers"]!["Retry-After"]!["schema"]!["type"]!.GetValue<string>());
        Assert.Null(paths["/timeline-assets/{file}"]);
    }
}
