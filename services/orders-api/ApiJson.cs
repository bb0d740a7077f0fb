using System.Text.Json;

namespace OrdersMail.OrdersApi;

/// <summary>orders-api's JSON: snake_case like the rest of the web app's APIs, without touching the host's global options.</summary>
public static class ApiJson
{
    /// <summary>The options every response body is written with.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
