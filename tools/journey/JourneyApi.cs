using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrdersMail.Journey;

/// <summary>
/// The calls the journey makes, each one a person could make with curl: orders-api as the web app would (with a
/// Clerk session token), the sandbox's Clerk, AgentMail and Resend as a customer's mail client would see them.
/// </summary>
internal sealed class JourneyApi(HttpClient http, JourneySettings settings)
{
    // The sandbox accepts any AgentMail API key; this one names the reader in its request log.
    private const string AgentMailKey = "am_journey_reader";

    private string? _sessionToken;

    public async Task<string> SignInAsync(string userId, CancellationToken cancellation)
    {
        using var response = await http.PostAsJsonAsync(Sandbox("clerk/tokens"), new { user_id = userId, ttl_seconds = 3600 }, cancellation);
        var body = await ReadAsync(response, "minting a Clerk session token", cancellation);
        _sessionToken = body["jwt"]?.GetValue<string>() ?? throw new InvalidOperationException("the sandbox's Clerk answered without a jwt");
        return _sessionToken;
    }

    public async Task<JsonObject> PlaceOrderAsync(object order, string traceParent, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, OrdersApi("api/orders")) { Content = JsonContent.Create(order) };
        request.Headers.Authorization = Session();
        // The journey starts the order's trace, so it knows the trace id to point the viewer at.
        request.Headers.Add("traceparent", traceParent);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await http.SendAsync(request, cancellation);
        return await ReadAsync(response, "POST /api/orders", cancellation);
    }

    public Task<JsonObject?> GetOrderAsync(Guid orderId, CancellationToken cancellation) =>
        GetAsync(OrdersApi($"api/orders/{orderId}"), Session(), cancellation);

    public Task<JsonObject?> GetConversationAsync(Guid orderId, CancellationToken cancellation) =>
        GetAsync(OrdersApi($"api/orders/{orderId}/messages"), Session(), cancellation);

    public Task<JsonObject?> GetInboxWebhooksAsync(string inbox, CancellationToken cancellation) =>
        GetAsync(Sandbox($"agentmail/v0/inboxes/{Uri.EscapeDataString(inbox)}/webhooks"), AgentMail(), cancellation);

    public Task<JsonObject?> GetInboxMessagesAsync(string inbox, CancellationToken cancellation) =>
        GetAsync(Sandbox($"agentmail/v0/inboxes/{Uri.EscapeDataString(inbox)}/messages"), AgentMail(), cancellation);

    /// <summary>Every email the sandbox's Resend accepted, with the headers the recipient's mail client sees.</summary>
    public Task<JsonObject?> GetResendEmailsAsync(CancellationToken cancellation) =>
        GetAsync(Sandbox("sandbox/resend/emails"), null, cancellation);

    /// <summary>The customer writes to their inbox: the sandbox stores it and fires AgentMail's signed webhook.</summary>
    public async Task<JsonObject> SendCustomerEmailAsync(string inbox, object email, CancellationToken cancellation)
    {
        using var response = await http.PostAsJsonAsync(Sandbox($"sandbox/agentmail/inboxes/{Uri.EscapeDataString(inbox)}/messages"), email, cancellation);
        return await ReadAsync(response, "the customer's email to the sandbox", cancellation);
    }

    private async Task<JsonObject?> GetAsync(Uri url, AuthenticationHeaderValue? authorization, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, cancellation);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>(cancellation) : null;
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellation)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellation);
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
        }

        return await response.Content.ReadFromJsonAsync<JsonObject>(cancellation)
            ?? throw new InvalidOperationException($"{what} answered an empty body");
    }

    private AuthenticationHeaderValue Session() =>
        new("Bearer", _sessionToken ?? throw new InvalidOperationException("sign in before calling orders-api"));

    private static AuthenticationHeaderValue AgentMail() => new("Bearer", AgentMailKey);

    private Uri OrdersApi(string path) => new(settings.OrdersApi, path);

    private Uri Sandbox(string path) => new(settings.Sandbox, path);
}
