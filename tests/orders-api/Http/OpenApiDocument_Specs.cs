using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Http;

/// <summary><c>/openapi/v1.json</c> describes every route's body and every answer it can give, errors included.</summary>
public sealed class OpenApiDocument_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private const string Message = "/api/orders/{id}/messages/{messageId}";

    public static TheoryData<string, string, int[]> Responses => new()
    {
        { "post", "/api/orders", [200, 201, 400, 401, 409, 413, 415] },
        { "get", "/api/orders", [200, 400, 401] },
        { "get", "/api/orders/{id}", [200, 401, 404] },
        { "get", "/api/orders/{id}/messages", [200, 400, 401, 404] },
        { "get", "/api/orders/{id}/messages/unread-count", [200, 401, 404] },
        { "get", Message, [200, 401, 404] },
        { "patch", $"{Message}/labels", [200, 400, 401, 404, 413] },
        { "patch", $"{Message}/read", [200, 400, 401, 404, 413] },
        { "patch", $"{Message}/archive", [200, 400, 401, 404, 409, 413] },
        { "get", "/api/me", [200, 401] },
    };

    public static TheoryData<string, string, string[]> RequestBodies => new()
    {
        { "post", "/api/orders", ["currency", "customer_email", "customer_name", "items"] },
        { "patch", $"{Message}/labels", ["add", "remove"] },
        { "patch", $"{Message}/read", ["is_read"] },
        { "patch", $"{Message}/archive", ["archived"] },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Should_list_every_status_a_route_answers(string method, string path, int[] statuses)
    {
        var operation = (await DocumentAsync())["paths"]![path]![method]!;

        Assert.Equal(statuses.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)), operation["responses"]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal));
        foreach (var error in operation["responses"]!.AsObject().Where(r => r.Key is not ("200" or "201")))
        {
            Assert.True(error.Value!["content"]?["application/problem+json"] is not null, $"{method} {path} {error.Key} is not problem+json: {error.Value}");
        }
    }

    [Theory]
    [MemberData(nameof(RequestBodies))]
    public async Task Should_describe_the_JSON_body_of_each_route_that_takes_one(string method, string path, string[] properties)
    {
        var document = await DocumentAsync();

        var schema = Resolve(document, document["paths"]![path]![method]!["requestBody"]!["content"]!["application/json"]!["schema"]!);

        Assert.Equal(properties, schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Should_describe_order_lines_and_answers_in_snake_case()
    {
        var document = await DocumentAsync();

        var body = Resolve(document, document["paths"]!["/api/orders"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!);
        var line = Resolve(document, body["properties"]!["items"]!["items"]!);
        var created = Resolve(document, document["paths"]!["/api/orders"]!["post"]!["responses"]!["201"]!["content"]!["application/json"]!["schema"]!);

        Assert.Equal(["name", "quantity", "sku", "unit_price"], line["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Contains("reply_address", created["properties"]!.AsObject().Select(p => p.Key));
    }

    private async Task<JsonObject> DocumentAsync()
    {
        using var client = fixture.Api.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static JsonNode Resolve(JsonObject document, JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? document["components"]!["schemas"]![reference["#/components/schemas/".Length..]]!
            : schema;
}
