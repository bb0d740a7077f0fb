using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OrdersMail.Contracts.Inbound;
using OrdersMail.Contracts.Orders;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// Mail AgentMail's filter took for spam (<c>message.received.spam</c>, sent only to webhooks that ask for it and not also
/// as <c>message.received</c>) may be a customer's genuine reply. It is parked for a person with the reason, never routed
/// to an order or answered on its own; ops route it to its order once they judge it genuine, or dismiss it. Its events are
/// verified and deduplicated exactly as <c>message.received</c> is. The router refused the event type (400), so Svix
/// retried it for days and dropped it: the customer's mail reached no one.
/// </summary>
public sealed class SpamMail_Specs : IAsyncLifetime
{
    private readonly RouterWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_park_mail_agentmail_marked_spam_and_route_it_to_its_order_only_when_ops_ask()
    {
        var (orderId, inboxId, _) = await CustomerAsync("ORD-SPAM");

        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Re: your order", text = "Where is it?", spam = true });

        var parked = Assert.Single(await _world.WaitForAsync<InboundMessageParked>(p => p.GetProperty("messageId").GetString() == messageId));
        Assert.Equal(RoutingDecision.SpamReason, parked.GetProperty("reason").GetString());
        Assert.Contains("""with {"order_ref": "..."} to the customer's order it is about""", RoutingDecision.SpamReason, StringComparison.Ordinal);
        await _world.AnsweredAttemptsAsync("message.received.spam");
        Assert.Empty(await _world.OutboxAsync<InboundMessageRouted>());

        var id = await ParkedIdAsync(messageId);
        using var route = await _world.Client.PostAsync($"/routing/parked/{id}/route", null);
        Assert.Equal(HttpStatusCode.OK, route.StatusCode);
        Assert.Equal(orderId, (await route.Content.ReadFromJsonAsync<JsonObject>())!["order_id"]!.GetValue<Guid>());
        var routed = Assert.Single(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal((messageId, orderId), (routed.GetProperty("messageId").GetString(), routed.GetProperty("orderId").GetGuid()));
        Assert.Equal("Where is it?", routed.GetProperty("text").GetString());

        // What ops judge spam after all is dismissed, never routed.
        var other = await _world.EmailAsync(inboxId, new { from = "win@prize.example", subject = "You won", text = "Claim now.", spam = true });
        await _world.WaitForAsync<InboundMessageParked>(p => p.GetProperty("messageId").GetString() == other);
        using var dismiss = await _world.Client.PostAsync($"/routing/parked/{await ParkedIdAsync(other)}/dismiss", null);
        Assert.Equal(HttpStatusCode.NoContent, dismiss.StatusCode);
        Assert.Empty((await _world.Client.GetFromJsonAsync<JsonArray>("/routing/parked"))!);
        Assert.Single(await _world.OutboxAsync<InboundMessageRouted>());
    }

    // A genuine email about O1 parked as spam, then the customer's O2 re-stamped the inbox: ops routing it decided by the
    // stamp of now and sent it to O2, an order placed after the email was received.
    [Fact]
    public async Task Should_route_a_parked_email_to_the_order_of_when_it_was_received_when_the_customer_ordered_since()
    {
        var (orderId, inboxId, _) = await CustomerAsync("ORD-SPAM-O1");
        await _world.PublishAsync(new OrderCreated(orderId, "ORD-SPAM-O1", "user_ORD-SPAM-O1", "jane@acme.example", null, DateTimeOffset.UtcNow.AddDays(-2)));
        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Re: your order", text = "Where is it?", spam = true });
        await _world.WaitForAsync<InboundMessageParked>(p => p.GetProperty("messageId").GetString() == messageId);

        var laterId = Guid.NewGuid();
        await _world.PublishAsync(new OrderCreated(laterId, "ORD-SPAM-O2", "user_ORD-SPAM-O1", "jane@acme.example", null, DateTimeOffset.UtcNow.AddHours(1)));
        await _world.StampAsync(inboxId, "ORD-SPAM-O2");
        await Eventually.Until(() => _world.CountAsync("order_refs"), n => n == 2, TimeSpan.FromSeconds(30), "the later order to be learnt");

        using var route = await _world.Client.PostAsync($"/routing/parked/{await ParkedIdAsync(messageId)}/route", null);
        Assert.Equal(HttpStatusCode.OK, route.StatusCode);
        Assert.Equal(orderId, (await route.Content.ReadFromJsonAsync<JsonObject>())!["order_id"]!.GetValue<Guid>());
        var routed = Assert.Single(await _world.OutboxAsync<InboundMessageRouted>());
        Assert.Equal((orderId, "order-at-receipt"), (routed.GetProperty("orderId").GetGuid(), routed.GetProperty("routedBy").GetString()));
    }

    [Fact]
    public async Task Should_verify_a_spam_event_with_its_inboxs_secret_and_record_it_once_whatever_is_replayed()
    {
        var (_, inboxId, secret) = await CustomerAsync("ORD-SPAM-SIGNED");
        var (_, _, otherSecret) = await _world.ProvisionAsync("ORD-SPAM-OTHER");
        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = "Re: your order", text = "Hello?", spam = true });
        await _world.WaitForAsync<InboundMessageParked>(p => p.GetProperty("messageId").GetString() == messageId);
        var delivered = Assert.Single(await _world.AnsweredAttemptsAsync("message.received.spam"));
        var body = Encoding.UTF8.GetBytes(delivered["body"]!.GetValue<string>());
        var svixId = delivered["svix_id"]!.GetValue<string>();

        using var unsigned = await _world.Client.PostAsync("/webhooks/agentmail", new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } });
        using var otherTenant = await _world.PostSignedAsync(body, otherSecret);
        using var stale = await _world.PostSignedAsync(body, secret, svixId, DateTimeOffset.UtcNow.AddMinutes(-10));
        using var sameSvixId = await _world.PostSignedAsync(body, secret, svixId);
        using var sameEventId = await _world.PostSignedAsync(body, secret);

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.OK],
            new[] { unsigned, otherTenant, stale, sameSvixId, sameEventId }.Select(a => a.StatusCode));
        Assert.Equal(1, await _world.CountAsync("received_events"));
        Assert.Single(await _world.OutboxAsync<InboundMessageParked>());
    }

    // An order's customer: an inbox whose webhook the router learnt, naming the order it knows; the order, inbox and secret.
    private async Task<(Guid OrderId, string InboxId, string Secret)> CustomerAsync(string orderRef)
    {
        var orderId = Guid.NewGuid();
        var (inboxId, webhookId, secret) = await _world.ProvisionAsync(orderRef);
        await _world.ReadyAsync(orderId, orderRef, $"user_{orderRef}", inboxId, webhookId);
        return (orderId, inboxId, secret);
    }

    private async Task<Guid> ParkedIdAsync(string messageId) =>
        (await _world.Client.GetFromJsonAsync<JsonArray>("/routing/parked"))!.Single(p => p!["message_id"]!.GetValue<string>() == messageId)!["id"]!.GetValue<Guid>();
}
