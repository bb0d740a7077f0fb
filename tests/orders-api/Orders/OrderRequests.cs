using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Tests.Orders;

/// <summary>Order bodies and calls of the orders API, the way the web app makes them.</summary>
internal static class OrderRequests
{
    public const string Path = "/api/orders";

    /// <summary>A valid body with two lines; change it with <paramref name="change"/>.</summary>
    public static JsonObject Body(Action<JsonObject>? change = null)
    {
        var body = new JsonObject
        {
            ["customer_email"] = "jane@example.com",
            ["customer_name"] = "Jane Doe",
            ["currency"] = "EUR",
            ["items"] = new JsonArray(
                new JsonObject { ["sku"] = "MUG-01", ["name"] = "Mug", ["quantity"] = 2, ["unit_price"] = 12.5m },
                new JsonObject { ["sku"] = "TEE-02", ["name"] = "T-shirt", ["quantity"] = 1, ["unit_price"] = 20 }),
        };
        change?.Invoke(body);
        return body;
    }

    public static Task<HttpResponseMessage> PlaceAsync(HttpClient client, JsonNode? body = null, string? idempotencyKey = null) =>
        PlaceRawAsync(client, (body ?? Body()).ToJsonString(), idempotencyKey);

    public static async Task<HttpResponseMessage> PlaceRawAsync(HttpClient client, string body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(OrdersEndpoints.IdempotencyKeyHeader, idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Places a valid order and returns its id.</summary>
    public static async Task<Guid> PlacedAsync(HttpClient client, JsonNode? body = null)
    {
        using var response = await PlaceAsync(client, body);
        var order = await JsonAsync(response);
        return response.IsSuccessStatusCode
            ? order["id"]!.GetValue<Guid>()
            : throw new InvalidOperationException($"Placing an order answered {(int)response.StatusCode}: {order}");
    }

    public static async Task<JsonObject> GetAsync(HttpClient client, Guid id)
    {
        using var response = await client.GetAsync($"{Path}/{id}");
        response.EnsureSuccessStatusCode();
        return await JsonAsync(response);
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    /// <summary>The field names of a validation problem's <c>errors</c>.</summary>
    public static async Task<IReadOnlyList<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        var problem = await JsonAsync(response);
        return [.. problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal)];
    }

    public static string Text(this JsonNode? node) => node!.GetValue<string>();

    public static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node);
}
