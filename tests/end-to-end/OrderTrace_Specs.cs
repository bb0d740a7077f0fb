using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.EndToEnd.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.EndToEnd.Tests;

/// <summary>
/// One order's spans, read back from every host's in-memory exporter: placed under a known trace, the order's work in all
/// four services and the sandbox's calls are that one trace; the customer's email, a trace of its own, links to it.
/// </summary>
public sealed class OrderTrace_Specs(JourneyHosts hosts) : IClassFixture<JourneyHosts>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    // The named spans of each trace the spec asserts, by service: each is exported when it ends, in no set order (the
    // relay can send a file before the span that wrote it has committed and ended), so the spec waits for them all.
    private static readonly (string Service, string Name)[] OrderSpans =
    [
        ("orders-api", "order place"), ("inbox-provisioner", "inbox create"), ("inbox-provisioner", "webhook subscribe"), ("orders-api", "confirmation write"),
        ("delivery-tracker", "outbox send"), ("delivery-tracker", "webhook verify"), ("delivery-tracker", "delivery state"),
    ];

    private static readonly (string Service, string Name)[] CustomerSpans =
        [("inbound-router", "message route"), ("orders-api", "agent reply"), ("delivery-tracker", "outbox send")];

    [Fact]
    public async Task Should_trace_an_order_from_its_placement_to_its_delivered_confirmation_and_link_the_customers_email_to_it()
    {
        const string customer = "jane.trace@acme.example";
        using var api = hosts.OrdersApi.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await hosts.Sandbox.MintTokenAsync("user_e2e_trace"));

        // The web app's trace: everything the order causes must stay in it.
        var orderTrace = ActivityTraceId.CreateRandom();
        using var place = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new
            {
                customer_email = customer,
                currency = "EUR",
                items = new[] { new { sku = "SKU-1", name = "Widget", quantity = 1, unit_price = 5m } },
            }),
        };
        place.Headers.Add("traceparent", $"00-{orderTrace}-{ActivitySpanId.CreateRandom()}-01");
        var placed = await api.SendAsync(place);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = (await placed.Content.ReadFromJsonAsync<JsonObject>())!;
        var orderId = order["id"]!.GetValue<Guid>();
        var orderRef = order["order_ref"]!.GetValue<string>();

        var confirmed = await Eventually.Until(
            async () => (await api.GetFromJsonAsync<JsonObject>($"/api/orders/{orderId}"))!,
            o => o["emails"]!.AsArray().Any(e => e!["kind"]?.GetValue<string>() == "order_confirmation" && e["state"]!.GetValue<string>() == "delivered"),
            Timeout,
            "the order's confirmation to be delivered");
        var inbox = confirmed["reply_address"]!.GetValue<string>();

        // The order's own work, in every service, is the one trace, each span tagged with the order's reference.
        var inOrderTrace = await SpansAsync(orderTrace, s => HasAll(s, OrderSpans) && s.Any(IsDeliveryStateConsumed));
        AssertTagged(inOrderTrace, "orders-api", "order place", orderRef);
        AssertTagged(inOrderTrace, "inbox-provisioner", "inbox create", orderRef);
        AssertTagged(inOrderTrace, "inbox-provisioner", "webhook subscribe", orderRef);
        AssertTagged(inOrderTrace, "orders-api", "confirmation write", orderRef);
        AssertTagged(inOrderTrace, "delivery-tracker", "outbox send", orderRef);
        Assert.Contains(inOrderTrace, s => s.Source.Name == "delivery-tracker" && s.DisplayName == "webhook verify");
        Assert.Contains(inOrderTrace, s => s.Source.Name == "delivery-tracker" && s.DisplayName == "delivery state" && (string?)s.GetTagItem(OrderTags.OrderId) == orderId.ToString());

        // The webhook's news reaches the order in orders-api, which knows the order's reference and tags it, so a bounce
        // is found by the reference even when its webhook came without a trace.
        Assert.Equal(orderRef, inOrderTrace.First(IsDeliveryStateConsumed).GetTagItem(OrderTags.OrderRef));

        // The calls to the sandbox (AgentMail's inbox and webhook, Resend's send) are client spans of the trace...
        Assert.Contains(inOrderTrace, s => s.Kind == ActivityKind.Client && SandboxPath(s).Contains("/agentmail/v0/inboxes", StringComparison.Ordinal));
        Assert.Contains(inOrderTrace, s => s.Kind == ActivityKind.Client && (string?)s.GetTagItem("http.request.method") == "GET" && SandboxPath(s).Contains("/agentmail/v0/webhooks/", StringComparison.Ordinal));
        Assert.Contains(inOrderTrace, s => s.Kind == ActivityKind.Client && SandboxPath(s).EndsWith("/resend/emails", StringComparison.Ordinal));

        // ...and every Resend webhook the sandbox sent about the confirmation came back carrying the trace.
        // The sandbox records a delivery once it has read the answer, which the tracker gives after passing the state on.
        var resendWebhooks = await Eventually.Until(
            () => AttemptsAsync("resend"),
            attempts => attempts.Any(a => a!["event_type"]!.GetValue<string>() == "email.delivered"),
            Timeout,
            "the confirmation's email.delivered to be delivered to the tracker");
        Assert.All(resendWebhooks, a => Assert.Equal(orderTrace.ToString(), TraceIdOf(a)));

        // The customer writes: a trace of its own, whose routing links to the order's.
        // Over real HTTP the client's own propagation writes the header, from the current span: make that the customer's.
        var customerTrace = ActivityTraceId.CreateRandom();
        using (new Activity("customer writes").SetParentId(customerTrace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            var written = await hosts.Sandbox.Http.PostAsJsonAsync(
                $"sandbox/agentmail/inboxes/{Uri.EscapeDataString(inbox)}/messages",
                new { from = customer, subject = "Where is my order?", text = $"Hello, where is {orderRef}?" });
            written.EnsureSuccessStatusCode();
        }

        var inCustomerTrace = await SpansAsync(customerTrace, s => HasAll(s, CustomerSpans));
        var route = AssertTagged(inCustomerTrace, "inbound-router", "message route", orderRef);
        Assert.Contains(route.Links, l => l.Context.TraceId == orderTrace);
        AssertTagged(inCustomerTrace, "orders-api", "agent reply", orderRef);
        AssertTagged(inCustomerTrace, "delivery-tracker", "outbox send", orderRef);

        // The sandbox records a delivery once it has read the router's answer, given after the email was recorded for routing.
        await Eventually.Until(
            () => AttemptsAsync("agentmail"),
            attempts => attempts.Any(a => a!["event_type"]!.GetValue<string>() == "message.received" && TraceIdOf(a) == customerTrace.ToString()),
            Timeout,
            "the customer's message.received to be delivered carrying the customer's trace");
    }

    private static Activity AssertTagged(IReadOnlyList<Activity> spans, string service, string name, string orderRef)
    {
        var span = spans.FirstOrDefault(s => s.Source.Name == service && s.DisplayName == name)
            ?? throw new Xunit.Sdk.XunitException(
                $"{service} has no '{name}' span in the trace; it has: {string.Join(", ", spans.Select(s => $"{s.Source.Name}/{s.DisplayName}").Distinct())}");
        Assert.Equal(orderRef, span.GetTagItem(OrderTags.OrderRef));
        return span;
    }

    private static bool HasAll(IReadOnlyList<Activity> spans, (string Service, string Name)[] named) =>
        named.All(n => spans.Any(s => s.Source.Name == n.Service && s.DisplayName == n.Name));

    private static bool IsDeliveryStateConsumed(Activity span) =>
        span.Kind == ActivityKind.Consumer && span.DisplayName.Contains("orders-api-delivery-state-changed", StringComparison.Ordinal);

    private static string SandboxPath(Activity span) => span.GetTagItem("url.full") as string ?? "";

    private static string? TraceIdOf(JsonNode? attempt) => attempt?["trace_parent"]?.GetValue<string>()?.Split('-')[1];

    /// <summary>The spans of <paramref name="traceId"/>, once <paramref name="complete"/>, each once.</summary>
    private async Task<IReadOnlyList<Activity>> SpansAsync(ActivityTraceId traceId, Func<IReadOnlyList<Activity>, bool> complete)
    {
        try
        {
            return await Eventually.Until(() => Task.FromResult(SpansOf(traceId)), complete, Timeout, $"the spans of trace {traceId} to be exported");
        }
        catch (TimeoutException e)
        {
            // Say what the trace has, which tells where it broke.
            throw new TimeoutException($"{e.Message}; it has: {string.Join(", ", SpansOf(traceId).Select(s => $"{s.Source.Name}/{s.DisplayName}").Distinct())}", e);
        }
    }

    private IReadOnlyList<Activity> SpansOf(ActivityTraceId traceId) => [.. hosts.Spans.InTrace(traceId).DistinctBy(s => s.SpanId)];

    private async Task<IReadOnlyList<JsonNode?>> AttemptsAsync(string api) =>
        [.. (await hosts.Sandbox.Http.GetFromJsonAsync<JsonObject>($"sandbox/webhook-attempts?api={api}"))!["attempts"]!.AsArray()];
}
