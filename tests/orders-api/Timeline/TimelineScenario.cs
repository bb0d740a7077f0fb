using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Health;
using OrdersMail.Contracts.Inbound;
using OrdersMail.Contracts.Outbound;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Confirmation;
using OrdersMail.OrdersApi.Emails;
using OrdersMail.OrdersApi.Orders;
using OrdersMail.Testing;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.OrdersApi.Tests.Timeline;

/// <summary>
/// One customer's journey as orders-api sees it, played through the real service: the order placed over HTTP, then the
/// other services' events published on the broker into its consumers (the inbox, the confirmation and its delivery, the
/// customer's message and the agent's reply, a stranger's hostile message, a bounced receipt), each awaited until consumed.
/// </summary>
internal sealed class TimelineScenario(IServiceProvider services, HttpClient owner, string userId)
{
    /// <summary>The stranger's subject: markup that must show as text and never run.</summary>
    public const string ScriptSubject = "<script>alert(1)</script> cancel this order";

    /// <summary>The stranger's body, markup too.</summary>
    public const string ScriptBody = "<img src=x onerror=alert(2)> please cancel it";

    /// <summary>The customer's address, which the order is placed for.</summary>
    public const string CustomerEmail = "jane.doe@example.com";

    /// <summary>Why the receipt bounced.</summary>
    public const string BounceReason = "550 mailbox full";

    /// <summary>The conversation's queue in orders-api (the consumer's own class is internal).</summary>
    private const string ConversationQueue = "orders-api-conversation";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Plays the journey; what it made.</summary>
    public async Task<PlayedOrder> PlayAsync()
    {
        await ReadyAsync();
        var (orderId, orderRef) = await PlaceAsync();
        var replyAddress = $"jane-{orderRef.ToLowerInvariant()}@agentmail.test";

        // Each event happens when it is published, as it would live: the page orders them beside what orders-api stamps itself.
        await PublishAsync(new InboxReady(orderId, orderRef, userId, "inbox_jane", replyAddress, $"wh_{orderId:N}", DateTimeOffset.UtcNow), InboxReadyConsumer.Name);
        var confirmation = ConfirmationEmailIds.For(orderId);
        await EmailDeliveredAsync(confirmation, orderId, "order_confirmation", EmailProvider.Resend, $"Your order {orderRef} is confirmed");

        var customer = Routed(orderId, $"Jane Doe <{CustomerEmail}>", "Where is my order?", "Hello, when will it arrive?\nJane", DateTimeOffset.UtcNow);
        await PublishAsync(customer, ConversationQueue);
        var reply = AgentReplyIds.For(orderId, customer.MessageId);
        await EmailDeliveredAsync(reply, orderId, "agent_reply", EmailProvider.AgentMail, "Re: Where is my order?");

        var stranger = Routed(orderId, "Mallory <mallory@evil.example>", ScriptSubject, ScriptBody, DateTimeOffset.UtcNow);
        await PublishAsync(stranger, ConversationQueue);

        var receipt = Guid.NewGuid();
        await PublishAsync(new OutboundEmailQueued(receipt, orderId, "receipt", EmailProvider.Resend, [CustomerEmail], $"Receipt for {orderRef}", "receipt.json", DateTimeOffset.UtcNow), OutboundEmailQueuedConsumer.Name);
        await PublishAsync(new DeliveryStateChanged(receipt, orderId, EmailProvider.Resend, DeliveryState.Bounced, DeliveryState.Sent, BounceReason, DateTimeOffset.UtcNow), DeliveryStateChangedConsumer.Name);
        return new PlayedOrder(orderId, orderRef, replyAddress, customer, stranger, reply);
    }

    /// <summary>Publishes <paramref name="message"/> on the broker and waits until each of <paramref name="queues"/> consumed it without a fault.</summary>
    public async Task PublishAsync<T>(T message, params string[] queues)
        where T : class
    {
        var bus = services.GetRequiredService<IBus>();
        var watches = queues.Select(q => new ConsumedMessages(q)).ToList();
        var handles = watches.Select(w => bus.ConnectConsumeObserver(w)).ToList();
        try
        {
            var id = NewId.NextGuid();
            await bus.Publish(message, context => context.MessageId = id);
            foreach (var watch in watches)
            {
                await watch.WaitForAsync(id);
                Assert.Empty(watch.Faults);
            }
        }
        finally
        {
            handles.ForEach(h => h.Disconnect());
        }
    }

    /// <summary>Text a customer or sender wrote, as the timeline sets it inside a sentence of its own: between FSI and PDI.</summary>
    public static string Isolated(string text) => $"\u2068{text}\u2069";

    /// <summary>A message from <paramref name="from"/> routed to the order, with a Message-ID of its own.</summary>
    public static InboundMessageRouted Routed(Guid orderId, string from, string subject, string text, DateTimeOffset receivedAt) =>
        new(orderId, "inbox_jane", $"<{Guid.NewGuid():N}@mail.example.com>", "thread_1", from, subject, text, null, [], "inbox-order-ref", receivedAt);

    /// <summary>The relay queued email <paramref name="emailId"/> (a copy of <paramref name="sentAgainOf"/> when given), then it was sent and delivered.</summary>
    public async Task EmailDeliveredAsync(Guid emailId, Guid orderId, string kind, EmailProvider provider, string subject, Guid? sentAgainOf = null)
    {
        await EmailQueuedAsync(emailId, orderId, kind, provider, subject, sentAgainOf);
        await PublishAsync(new OutboundEmailSent(emailId, orderId, provider, $"sent_{emailId:N}", DateTimeOffset.UtcNow), OutboundEmailSentConsumer.Name);
        await PublishAsync(new DeliveryStateChanged(emailId, orderId, provider, DeliveryState.Delivered, DeliveryState.Sent, null, DateTimeOffset.UtcNow), DeliveryStateChangedConsumer.Name);
    }

    /// <summary>The relay queued email <paramref name="emailId"/>, a copy of <paramref name="sentAgainOf"/> when given.</summary>
    public Task EmailQueuedAsync(Guid emailId, Guid orderId, string kind, EmailProvider provider, string subject, Guid? sentAgainOf = null) =>
        PublishAsync(
            new OutboundEmailQueued(emailId, orderId, kind, provider, [CustomerEmail], subject, $"{kind}.json", DateTimeOffset.UtcNow, SentAgainOf: sentAgainOf),
            OutboundEmailQueuedConsumer.Name);

    /// <summary>The relay gave email <paramref name="emailId"/> up (a permanent refusal, an outage past its attempts).</summary>
    public Task EmailFailedAsync(Guid emailId, Guid orderId, string reason) =>
        PublishAsync(new OutboundEmailFailed(emailId, orderId, $"{emailId:N}.json", reason, DateTimeOffset.UtcNow), OutboundEmailFailedConsumer.Name);

    private async Task<(Guid Id, string OrderRef)> PlaceAsync()
    {
        var response = await owner.PostAsJsonAsync("/api/orders", new
        {
            customer_email = CustomerEmail,
            customer_name = "Jane Doe",
            currency = "EUR",
            items = new object[]
            {
                new { sku = "MUG-1", name = "Mug", quantity = 2, unit_price = 9.5m },
                new { sku = "TEE-2", name = "T-shirt", quantity = 1, unit_price = 20m },
            },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/orders answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (order.GetProperty("id").GetGuid(), order.GetProperty("order_ref").GetString()!);
    }

    /// <summary>Waits until orders-api reports ready: until its bus has bound its queues, the broker drops what is published.</summary>
    public async Task ReadyAsync()
    {
        using var ready = await Eventually.Until(() => owner.GetAsync(HealthEndpoints.ReadyPath), r => r.IsSuccessStatusCode, Timeout, "orders-api to report ready");
    }
}

/// <summary>What <see cref="TimelineScenario.PlayAsync"/> made.</summary>
internal sealed record PlayedOrder(Guid OrderId, string OrderRef, string ReplyAddress, InboundMessageRouted CustomerMessage, InboundMessageRouted StrangerMessage, Guid ReplyEmailId);
