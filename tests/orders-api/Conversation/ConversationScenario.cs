using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Health;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.OrdersApi.Tests.Conversation;

/// <summary>
/// What the conversation specs do through the real service: place an order as a signed-in user, publish routed inbound
/// messages over the broker into orders-api, and wait until the API lists them.
/// </summary>
internal sealed class ConversationScenario(OrdersApiFixture fixture)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A time with no sub-microsecond part, so what PostgreSQL keeps compares equal to what was sent.</summary>
    public static readonly DateTimeOffset Start = new(2025, 6, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A client of a new user of the test's own.</summary>
    public Task<HttpClient> NewUserAsync() => fixture.SignedInAsync($"user_{Guid.NewGuid():N}");

    /// <summary>Places an order with <c>POST /api/orders</c> for <paramref name="customerEmail"/>; its id.</summary>
    public static async Task<Guid> PlaceOrderAsync(HttpClient owner, string customerEmail = "jane.doe@example.com")
    {
        var response = await owner.PostAsJsonAsync("/api/orders", new
        {
            customer_email = customerEmail,
            customer_name = "Jane Doe",
            currency = "EUR",
            items = new[] { new { sku = "MUG-1", name = "Mug", quantity = 2, unit_price = 9.5m } },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/orders answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        return order.GetProperty("id").GetGuid();
    }

    /// <summary>A routed message for <paramref name="orderId"/> with a Message-ID of its own.</summary>
    public static InboundMessageRouted Routed(
        Guid orderId,
        string from = "Jane Doe <jane.doe@example.com>",
        string subject = "Where is my order?",
        string text = "Hello,\n\nwhen will my order arrive?\n\nJane",
        DateTimeOffset? receivedAt = null) =>
        new(orderId, "inbox_jane", $"<{Guid.NewGuid():N}@mail.example.com>", "thread_1", from, subject, text, null, [], "inbox-order-ref", receivedAt ?? Start);

    /// <summary>
    /// Publishes over the broker, once the service's queues are bound (until then the broker drops what it gets). The
    /// message goes out marked automatic (<c>Auto-Submitted</c>) unless it says otherwise, so the agent leaves it
    /// unanswered: these specs are about the customer's messages, and the agent's replies, which would join the same
    /// conversation, are the agent specs' subject.
    /// </summary>
    public async Task PublishAsync(InboundMessageRouted message, Guid? deliveryId = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        await ReadyAsync();
        var unanswered = message with { AutoSubmitted = message.AutoSubmitted ?? "auto-generated" };
        await fixture.Api.Services.GetRequiredService<IBus>().Publish(unanswered, context => context.MessageId = deliveryId ?? NewId.NextGuid());
    }

    /// <summary>
    /// Publishes <paramref name="message"/> once per entry of <paramref name="deliveries"/>, with that envelope message id
    /// (the same id twice is one publish delivered twice), and waits until the service consumed each without a fault.
    /// </summary>
    public async Task PublishAndWaitAsync(InboundMessageRouted message, params Guid[] deliveries)
    {
        var watch = new ConsumeWatch();
        var handle = fixture.Api.Services.GetRequiredService<IBus>().ConnectConsumeObserver(watch);
        try
        {
            foreach (var delivery in deliveries)
            {
                await PublishAsync(message, delivery);
            }

            await Eventually.Until(
                () => Task.FromResult(deliveries.CountBy(d => d).All(d => watch.Times(d.Key) >= d.Value) || watch.Faults.Count > 0),
                done => done,
                Timeout,
                $"{deliveries.Length} deliveries of {message.MessageId} to be consumed");
            Assert.Empty(watch.Faults);
        }
        finally
        {
            handle.Disconnect();
        }
    }

    /// <summary>Publishes each message and waits until the owner sees all of them (archived or not); they, oldest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> DeliverAsync(HttpClient owner, Guid orderId, params InboundMessageRouted[] messages)
    {
        foreach (var message in messages)
        {
            await PublishAsync(message);
        }

        var wanted = messages.Select(m => m.MessageId).ToHashSet();
        var listed = await Eventually.Until(
            () => AllMessagesAsync(owner, orderId),
            seen => wanted.IsSubsetOf(seen.Select(m => m.GetProperty("message_id").GetString()!)),
            Timeout,
            $"{messages.Length} message(s) to appear in order {orderId}");
        return listed.Where(m => wanted.Contains(m.GetProperty("message_id").GetString()!)).ToList();
    }

    /// <summary>Delivers one message; it as listed.</summary>
    public async Task<JsonElement> DeliverAsync(HttpClient owner, InboundMessageRouted message) =>
        (await DeliverAsync(owner, message.OrderId, [message])).Single();

    /// <summary>Every message of the order, archived ones included (first page of 100).</summary>
    public static async Task<IReadOnlyList<JsonElement>> AllMessagesAsync(HttpClient owner, Guid orderId)
    {
        var page = await ConversationHttp.OkAsync(await owner.GetAsync($"/api/orders/{orderId}/messages?include_archived=true&limit=100"));
        return page.GetProperty("messages").EnumerateArray().ToList();
    }

    private async Task ReadyAsync()
    {
        using var client = fixture.Api.CreateClient();
        await Eventually.Until(() => client.GetAsync(HealthEndpoints.ReadyPath), r => r.IsSuccessStatusCode, Timeout, "orders-api to report ready");
    }
}
