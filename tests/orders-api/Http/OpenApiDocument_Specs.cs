using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.OrdersApi.Orders;
using OrdersMail.OrdersApi.Tests.Orders;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Http;

/// <summary><c>/openapi/v1.json</c> describes every route's body, and every error the API answers as a problem.</summary>
public sealed class OpenApiDocument_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private const string Message = "/api/orders/{id}/messages/{messageId}";

    public static TheoryData<string, string, string[]> RequestBodies => new()
    {
        { "post", "/api/orders", ["currency", "customer_email", "customer_name", "items"] },
        { "patch", $"{Message}/labels", ["add", "remove"] },
        { "patch", $"{Message}/read", ["is_read"] },
        { "patch", $"{Message}/archive", ["archived"] },
    };

    // Which statuses each route answers, and the database's 503 with Retry-After, are checked for every service alike
    // (ServiceHostSpecs, OrdersApiHost_Specs).
    [Fact]
    public async Task Should_describe_every_error_of_the_API_as_a_problem()
    {
        var document = await DocumentAsync();

        var errors = document["paths"]!.AsObject()
            .Where(path => path.Key.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(path => path.Value!.AsObject().Select(operation => (Route: $"{operation.Key} {path.Key}", Responses: operation.Value!["responses"]!.AsObject())))
            .SelectMany(o => o.Responses.Where(r => r.Key[0] is '4' or '5').Select(r => (o.Route, Status: r.Key, Response: r.Value!)))
            .ToList();

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.True(e.Response["content"]?["application/problem+json"] is not null, $"{e.Route} {e.Status} is not problem+json: {e.Response}"));
    }

    // Authentication answers it before any route runs, so a client generated from the document would otherwise take it
    // for a 401's sign-in again, or not know to ask again after Retry-After.
    [Fact]
    public async Task Should_describe_the_503_of_keys_that_could_not_be_fetched_on_every_API_route()
    {
        var document = await DocumentAsync();

        var operations = document["paths"]!.AsObject()
            .Where(path => path.Key.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(path => path.Value!.AsObject().Select(operation => (Route: $"{operation.Key} {path.Key}", Responses: operation.Value!["responses"]!.AsObject())))
            .ToList();

        Assert.NotEmpty(operations);
        Assert.All(operations, o =>
        {
            var unavailable = o.Responses["503"];
            Assert.True(unavailable?["headers"]?["Retry-After"] is not null, $"{o.Route} describes no 503 with Retry-After: {o.Responses}");
            Assert.Contains("jwks_unavailable", unavailable!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        Assert.Contains("database", document["paths"]!["/api/orders"]!["get"]!["responses"]!["503"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RequestBodies))]
    public async Task Should_describe_the_JSON_body_of_each_route_that_takes_one(string method, string path, string[] properties)
    {
        var document = await DocumentAsync();

        var schema = Resolve(document, document["paths"]![path]![method]!["requestBody"]!["content"]!["application/json"]!["schema"]!);

        Assert.Equal(properties, schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    // The handler reads them itself, to name a bad one in its 400, so the generator alone would not list them.
    [Fact]
    public async Task Should_describe_each_query_parameter_the_message_list_reads_with_its_type()
    {
        var document = await DocumentAsync();

        var parameters = document["paths"]!["/api/orders/{id}/messages"]!["get"]!["parameters"]!.AsArray()
            .Where(p => p!["in"]!.GetValue<string>() == "query")
            .Select(p => (Name: p!["name"]!.GetValue<string>(), Type: p["schema"]!["type"]!.GetValue<string>()))
            .OrderBy(p => p.Name, StringComparer.Ordinal);

        Assert.Equal(
            [("cursor", "string"), ("include_archived", "boolean"), ("is_read", "boolean"), ("label", "string"), ("limit", "integer"), ("q", "string"), ("verified_only", "boolean")],
            parameters);
    }

    // The handlers take limit as text, to refuse a bad one with a problem saying what a limit must be, so the generator
    // alone would call it an undescribed string.
    [Theory]
    [InlineData("/api/orders", 100)]
    [InlineData("/api/orders/{id}/emails", 100)]
    [InlineData("/api/orders/{id}/messages", 100)]
    public async Task Should_describe_the_limit_of_each_list_as_a_bounded_integer(string path, int max)
    {
        var document = await DocumentAsync();

        var limit = Assert.Single(
            document["paths"]![path]!["get"]!["parameters"]!.AsArray(),
            p => p!["in"]!.GetValue<string>() == "query" && p["name"]!.GetValue<string>() == "limit")!;

        Assert.Equal(("integer", 1, max), (limit["schema"]!["type"]!.GetValue<string>(), limit["schema"]!["minimum"]!.GetValue<int>(), limit["schema"]!["maximum"]!.GetValue<int>()));
        Assert.False(string.IsNullOrWhiteSpace(limit["description"]?.GetValue<string>()), $"{path}'s limit has no description");
    }

    // The handler reads the key itself, to name a bad one in its 400; a client generated without it would place a second
    // order when it sends again after a 503 or a timeout.
    [Fact]
    public async Task Should_describe_the_Idempotency_Key_of_placing_an_order_and_the_headers_it_answers_with()
    {
        var document = await DocumentAsync();

        var place = document["paths"]!["/api/orders"]!["post"]!;
        var key = place["parameters"]?.AsArray()
            .SingleOrDefault(p => p!["in"]!.GetValue<string>() == "header" && p["name"]!.GetValue<string>() == "Idempotency-Key");
        var responses = place["responses"]!;

        Assert.True(key is not null, $"POST /api/orders does not take the Idempotency-Key header: {place["parameters"]?.ToJsonString()}");
        Assert.False(key["required"]?.GetValue<bool>() ?? false);
        Assert.Equal(("string", 1, 255), (key["schema"]!["type"]!.GetValue<string>(), key["schema"]!["minLength"]!.GetValue<int>(), key["schema"]!["maxLength"]!.GetValue<int>()));
        Assert.NotNull(responses["201"]!["headers"]?["Location"]);
        Assert.NotNull(responses["200"]!["headers"]?["Location"]);
        Assert.NotNull(responses["200"]!["headers"]?["Idempotent-Replayed"]);
    }

    [Fact]
    public async Task Should_describe_order_lines_and_answers_in_snake_case()
    {
        var document = await DocumentAsync();

        var body = Resolve(document, document["paths"]!["/api/orders"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!);
        var line = Resolve(document, body["properties"]!["items"]!["items"]!);
        var created = Resolve(document, document["paths"]!["/api/orders"]!["post"]!["responses"]!["201"]!["content"]!["application/json"]!["schema"]!);
        var answered = Resolve(document, created["properties"]!["items"]!["items"]!);

        Assert.Equal(["name", "quantity", "sku", "unit_price"], line["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Contains("reply_address", created["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(
            ["amount", "amount_text", "name", "quantity", "sku", "unit_price", "unit_price_text"],
            answered["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("string", created["properties"]!["total_text"]?["type"]?.GetValue<string>());
    }

    // A property the answer leaves out when null (next_cursor on the last page, provisioning's detail until it failed)
    // was listed as required, so a client's response validator generated from the document refused the answer.
    [Fact]
    public async Task Should_list_as_required_only_properties_every_answer_carries()
    {
        var document = await DocumentAsync();
        using var owner = await fixture.SignedInAsync($"user_{Guid.NewGuid():N}");
        var orderId = await OrderRequests.PlacedAsync(owner);

        string[] routes = ["/api/orders", "/api/orders/{id}", "/api/orders/{id}/emails", "/api/orders/{id}/messages", "/api/orders/{id}/timeline"];
        var missing = new List<string>();
        foreach (var route in routes)
        {
            var answer = JsonNode.Parse(await owner.GetStringAsync(route.Replace("{id}", orderId.ToString(), StringComparison.Ordinal)));
            var schema = document["paths"]![route]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
            missing.AddRange(RequiredProperties.MissingFrom(document, schema, answer).Select(m => $"GET {route} {m}"));
        }

        Assert.Empty(missing);
    }

    // The body is read as JSON numbers only (PlaceOrderValidation), so a client sending the quantity or price as text,
    // as the web JSON defaults would have described them, got 400 "must be a number".
    [Fact]
    public async Task Should_describe_the_order_body_as_its_validation_reads_it()
    {
        var document = await DocumentAsync();

        var body = Resolve(document, document["paths"]!["/api/orders"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!);
        var properties = body["properties"]!;
        var items = properties["items"]!;
        var line = Resolve(document, items["items"]!);
        var quantity = line["properties"]!["quantity"]!;
        var unitPrice = line["properties"]!["unit_price"]!;

        Assert.Equal(["currency", "customer_email", "items"], body["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Contains("null", Types(properties["customer_name"]!));
        Assert.Equal(["integer"], Types(quantity));
        Assert.Equal(["number"], Types(unitPrice));
        Assert.Null(quantity["pattern"]);
        Assert.Null(unitPrice["pattern"]);
        Assert.Equal(1, quantity["minimum"]!.GetValue<int>());
        Assert.Equal(0, unitPrice["minimum"]!.GetValue<int>());
        Assert.Equal(PlaceOrderValidation.MoneyLimit, unitPrice["exclusiveMaximum"]!.GetValue<double>());
        Assert.Equal((1, PlaceOrderValidation.MaxItems), (items["minItems"]!.GetValue<int>(), items["maxItems"]!.GetValue<int>()));
        Assert.Equal(PlaceOrderValidation.MaxEmailLength, properties["customer_email"]!["maxLength"]!.GetValue<int>());
        Assert.Equal(PlaceOrderValidation.MaxNameLength, properties["customer_name"]!["maxLength"]!.GetValue<int>());
        Assert.Equal(PlaceOrderValidation.MaxSkuLength, line["properties"]!["sku"]!["maxLength"]!.GetValue<int>());
        Assert.Equal(PlaceOrderValidation.MaxNameLength, line["properties"]!["name"]!["maxLength"]!.GetValue<int>());

        var currency = properties["currency"]!;
        Assert.Equal(("^[A-Z]{3}$", 3, 3), (currency["pattern"]!.GetValue<string>(), currency["minLength"]!.GetValue<int>(), currency["maxLength"]!.GetValue<int>()));
        foreach (var text in new[] { properties["customer_email"]!, line["properties"]!["sku"]!, line["properties"]!["name"]! })
        {
            Assert.Equal(PlaceOrderBody.NotBlank, text["pattern"]!.GetValue<string>());
        }
    }

    private async Task<JsonObject> DocumentAsync()
    {
        using var client = fixture.Api.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static string[] Types(JsonNode schema) =>
        schema["type"] is JsonArray types ? [.. types.Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal)] : [schema["type"]!.GetValue<string>()];

    private static JsonNode Resolve(JsonObject document, JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? document["components"]!["schemas"]![reference["#/components/schemas/".Length..]]!
            : schema;
}
