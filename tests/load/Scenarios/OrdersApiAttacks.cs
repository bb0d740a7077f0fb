using System.Net.Http.Headers;
using System.Text;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Hostile requests at orders-api: no, garbage and every kind of bad Clerk token (each on a valid order, so a token
/// wrongly accepted would write one), another user's order, forged and foreign cursors, and bodies that are too
/// large, too deep, not UTF-8 or hold what PostgreSQL refuses.
/// </summary>
public static class OrdersApiAttacks
{
    private const string Target = "orders-api";
    private const string ValidOrder = """{"customer_email":"mallory@attacker.example","currency":"EUR","items":[{"sku":"SKU-X","name":"Widget","quantity":1,"unit_price":1.5}]}""";

    /// <summary>The cases; <paramref name="badTokens"/> are the sandbox's bad tokens by mode.</summary>
    public static IReadOnlyList<AttackCase> Cases(Uri ordersApi, AttackSetup setup, IReadOnlyDictionary<string, string> badTokens)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(badTokens);
        var cases = new List<AttackCase>
        {
            Case("no token", 401, () => Post(ordersApi, null, Json(ValidOrder))),
            Case("garbage token", 401, () => Post(ordersApi, "not.a.jwt", Json(ValidOrder))),
            Case("token over 8 KB", 401, () => Post(ordersApi, setup.TokenA + new string('A', 9000), Json(ValidOrder))),
            Case("garbage __session cookie", 401, () =>
            {
                var request = Post(ordersApi, null, Json(ValidOrder));
                request.Headers.Add("Cookie", "__session=eyJhbGciOiJub25lIn0.e30.");
                return request;
            }),
            Case("another user's order", 404, () => Get(ordersApi, $"api/orders/{setup.OrderOfB}", setup.TokenA)),
            Case("another user's order's messages", 404, () => Get(ordersApi, $"api/orders/{setup.OrderOfB}/messages", setup.TokenA)),
            Case("another user's order's emails", 404, () => Get(ordersApi, $"api/orders/{setup.OrderOfB}/emails", setup.TokenA)),
            Case("another user's order, mark a message read", 404, () => Send(HttpMethod.Patch, ordersApi, $"api/orders/{setup.OrderOfB}/messages/{Guid.NewGuid()}/read", setup.TokenA, Json("""{"is_read":true}"""))),
            Case("an order that does not exist", 404, () => Get(ordersApi, $"api/orders/{Guid.NewGuid()}", setup.TokenA)),
            Case("forged cursor", 400, () => Get(ordersApi, "api/orders?cursor=eyJwb3NpdGlvbiI6MH0", setup.TokenA)),
            Case("another user's cursor", 400, () => Get(ordersApi, $"api/orders?cursor={Uri.EscapeDataString(setup.CursorOfA)}", setup.TokenB)),
            Case("edited cursor", 400, () => Get(ordersApi, $"api/orders?cursor={Uri.EscapeDataString(Edited(setup.CursorOfA))}", setup.TokenA)),
            Case("body over 256 KiB, length declared", 413, () => Post(ordersApi, setup.TokenA, Json(Padded(300 * 1024)))),
            Case("body over 256 KiB, chunked", 413, () =>
            {
                var request = Post(ordersApi, setup.TokenA, Chunked(Encoding.UTF8.GetBytes(Padded(300 * 1024))));
                request.Headers.TransferEncodingChunked = true;
                return request;
            }),
            Case("JSON nested 200 deep", 400, () => Post(ordersApi, setup.TokenA, Json(ValidOrder.Replace("\"currency\":\"EUR\"", $"\"currency\":\"EUR\",\"x\":{new string('[', 200)}{new string(']', 200)}", StringComparison.Ordinal)))),
            Case("NUL in a name", 400, () => Post(ordersApi, setup.TokenA, Json(ValidOrder.Replace("Widget", "Wid\\u0000get", StringComparison.Ordinal)))),
            Case("lone surrogate in a name", 400, () => Post(ordersApi, setup.TokenA, Json(ValidOrder.Replace("Widget", "Wid\\ud800get", StringComparison.Ordinal)))),
            Case("not UTF-8", 400, () => Post(ordersApi, setup.TokenA, Bytes(NotUtf8(ValidOrder), "application/json"))),
            Case("quantity 1e30", 400, () => Post(ordersApi, setup.TokenA, Json(ValidOrder.Replace("\"quantity\":1", "\"quantity\":1e30", StringComparison.Ordinal)))),
            Case("malformed JSON", 400, () => Post(ordersApi, setup.TokenA, Json("{\"customer_email\":"))),
            Case("wrong content type", 415, () => Post(ordersApi, setup.TokenA, Bytes(Encoding.UTF8.GetBytes(ValidOrder), "text/plain"))),
        };
        cases.AddRange(badTokens.Select(t => Case($"token: {t.Key}", 401, () => Post(ordersApi, t.Value, Json(ValidOrder)))));
        return cases;
    }

    private static AttackCase Case(string name, int expected, Func<HttpRequestMessage> build) => AttackCase.Of(Target, name, expected, build);

    private static HttpRequestMessage Post(Uri ordersApi, string? token, HttpContent content) => Send(HttpMethod.Post, ordersApi, "api/orders", token, content);

    private static HttpRequestMessage Get(Uri ordersApi, string path, string token) => Send(HttpMethod.Get, ordersApi, path, token, null);

    private static HttpRequestMessage Send(HttpMethod method, Uri ordersApi, string path, string? token, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, new Uri(ordersApi, path)) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static ByteArrayContent Json(string json) => Bytes(Encoding.UTF8.GetBytes(json), "application/json");

    private static ByteArrayContent Bytes(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    /// <summary>A stream body; the request asks for chunked transfer, so no length is declared.</summary>
    private static StreamContent Chunked(byte[] body)
    {
        var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string Padded(int size) => ValidOrder.Replace("Widget", new string('W', size), StringComparison.Ordinal);

    /// <summary>The order with a byte sequence that is not UTF-8 (0xC3 0x28) inside the item's name.</summary>
    private static byte[] NotUtf8(string json)
    {
        var at = json.IndexOf("Widget", StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(json[..at]), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(json[at..])];
    }

    /// <summary>The cursor with one character changed, keeping it valid base64url.</summary>
    private static string Edited(string cursor) => cursor[..^2] + (cursor[^2] == 'A' ? 'B' : 'A') + cursor[^1];
}
