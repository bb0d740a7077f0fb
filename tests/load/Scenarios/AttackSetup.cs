using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// The legitimate state the attack needs and then tries to abuse: two customers, A with two orders (so a cursor
/// exists) and B with one; B's inbox with its webhook and secret (and A's, for a cross-tenant signature); a real
/// AgentMail delivery to the router (B's customer writes in) and a real Resend delivery to the tracker, whose exact
/// bytes are replayed.
/// </summary>
public sealed record AttackSetup(
    string TokenA,
    string TokenB,
    Guid OrderOfB,
    string CursorOfA,
    string InboxOfB,
    string AddressOfB,
    string SecretOfA,
    string SecretOfB,
    JsonNode AgentMailDelivery,
    JsonNode ResendDelivery,
    string ResendSecret)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Places the orders, waits for them to be provisioned and confirmed, and lets B's customer write in.</summary>
    public static async Task<AttackSetup> PrepareAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = Guid.NewGuid().ToString("N")[..8];
        var tokenA = await context.Sandbox.MintTokenAsync($"user_attack_{run}_a");
        var tokenB = await context.Sandbox.MintTokenAsync($"user_attack_{run}_b");
        var addressB = $"attack.b.{run}@customer.example";
        await PlaceAsync(context, tokenA, $"attack.a.{run}@customer.example");
        var orderOfA = await PlaceAsync(context, tokenA, $"attack.a.{run}@customer.example");
        var orderOfB = await PlaceAsync(context, tokenB, addressB);

        var inboxOfA = await WaitForInboxAsync(context, tokenA, orderOfA);
        var inboxOfB = await WaitForInboxAsync(context, tokenB, orderOfB);
        var cursor = (await GetAsync(context, tokenA, "api/orders?limit=1"))["next_cursor"]?.GetValue<string>()
            ?? throw new InvalidOperationException("customer A's first page of one order has no next_cursor");
        var webhooks = await context.Sandbox.WebhooksAsync();
        string SecretOf(string inbox) => webhooks
            .Where(w => w["inbox_ids"]?.AsArray().Any(i => i!.GetValue<string>() == inbox) == true)
            .Select(w => w["secret"]?.GetValue<string>()).FirstOrDefault(s => s is not null)
            ?? throw new InvalidOperationException($"no webhook with a secret scoped to {inbox}");

        await context.Sandbox.SendCustomerEmailAsync(inboxOfB, new { from = addressB, subject = "Where is my order?", text = "Hello, where is my order?" });
        var agentMail = await WaitForAttemptAsync(context, "agentmail", a => Contains(a, inboxOfB) && Text(a, "event_type") == "message.received");
        var resend = await WaitForAttemptAsync(context, "resend", a => Text(a, "event_type") == "email.delivered");
        var endpoint = (await context.Sandbox.ResendEndpointsAsync()).LastOrDefault(e => Text(e, "url") == Text(resend, "url"))
            ?? throw new InvalidOperationException($"no sandbox Resend endpoint for {Text(resend, "url")}");
        return new AttackSetup(tokenA, tokenB, orderOfB, cursor, inboxOfB, addressB, SecretOf(inboxOfA), SecretOf(inboxOfB), agentMail, resend, Text(endpoint, "signing_secret"));
    }

    private static async Task<Guid> PlaceAsync(ScenarioContext context, string token, string email)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(context.System.OrdersApi, "api/orders"))
        {
            Content = JsonContent.Create(new { customer_email = email, currency = "EUR", items = new[] { new { sku = "SKU-A", name = "Widget", quantity = 1, unit_price = 5m } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await context.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    /// <summary>Waits until the order is provisioned and its confirmation delivered; its inbox.</summary>
    private static async Task<string> WaitForInboxAsync(ScenarioContext context, string token, Guid order)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Timeout)
        {
            var view = await GetAsync(context, token, $"api/orders/{order}");
            // The confirmation is the only email of a new order, so any delivered email is it.
            var delivered = view["emails"]?.AsArray().Any(e => Text(e, "state") == "delivered") == true;
            if (Text(view["provisioning"], "state") == "ready" && delivered)
            {
                return Text(view, "reply_address");
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"order {order} not provisioned and confirmed within {Timeout}");
    }

    private static async Task<JsonNode> WaitForAttemptAsync(ScenarioContext context, string api, Func<JsonNode, bool> match)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Timeout)
        {
            var attempt = (await context.Sandbox.WebhookAttemptsAsync(api))
                .LastOrDefault(a => match(a) && a["status_code"]?.GetValue<int>() is >= 200 and < 300);
            if (attempt is not null)
            {
                return attempt;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"no successful {api} webhook delivery within {Timeout}");
    }

    private static async Task<JsonObject> GetAsync(ScenarioContext context, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(context.System.OrdersApi, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await context.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static bool Contains(JsonNode attempt, string inbox) => Text(attempt, "body").Contains(inbox, StringComparison.Ordinal);

    private static string Text(JsonNode? node, string field) => node?[field]?.GetValue<string>() ?? "";
}
