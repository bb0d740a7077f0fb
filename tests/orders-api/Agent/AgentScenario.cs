using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Health;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// What the agent specs do through the real service: place an order, publish a routed message over the broker, wait
/// until orders-api consumed it, then read the mail outbox's pending files and the message's labels.
/// </summary>
internal sealed class AgentScenario(AgentFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Places an order for <paramref name="customerEmail"/> as a new user: 2 x Mug at 9.50 EUR; its id.</summary>
    public async Task<Guid> PlaceOrderAsync(string customerEmail = "jane.doe@example.com")
    {
        using var owner = await fixture.NewUserAsync();
        return await ConversationScenario.PlaceOrderAsync(owner, customerEmail);
    }

    /// <summary>The order's human reference.</summary>
    public async Task<string> OrderRefAsync(Guid orderId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>("select order_ref from orders.orders where id = @OrderId", new { OrderId = orderId }) ?? "";
    }

    /// <summary>
    /// Publishes <paramref name="message"/> once per entry of <paramref name="deliveries"/> (one new delivery when none),
    /// with that envelope message id, and waits until the service consumed each without a fault.
    /// </summary>
    public async Task DeliverAsync<T>(T message, params Guid[] deliveries)
        where T : class
    {
        deliveries = deliveries.Length > 0 ? deliveries : [NewId.NextGuid()];
        await ReadyAsync();
        var bus = fixture.Api.Services.GetRequiredService<IBus>();
        var watch = new ConsumeWatch();
        var handle = bus.ConnectConsumeObserver(watch);
        try
        {
            foreach (var delivery in deliveries)
            {
                await bus.Publish(message, context => context.MessageId = delivery);
            }

            await Eventually.Until(
                () => Task.FromResult(deliveries.CountBy(d => d).All(d => watch.Times(d.Key) >= d.Value) || watch.Faults.Count > 0),
                done => done,
                Timeout,
                $"{deliveries.Length} deliveries of {message} to be consumed");
            Assert.Empty(watch.Faults);
        }
        finally
        {
            handle.Disconnect();
        }
    }

    /// <summary>The pending outbox files about <paramref name="orderId"/>, parsed.</summary>
    public IReadOnlyList<JsonElement> ReplyFiles(Guid orderId)
    {
        var pending = Path.Combine(fixture.OutboxDirectory, "email");
        return !Directory.Exists(pending)
            ? []
            : [.. Directory.GetFiles(pending, "*.json")
                .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.Clone())
                .Where(e => e.TryGetProperty("order_id", out var id) && id.GetGuid() == orderId)];
    }

    /// <summary>The one reply file about <paramref name="orderId"/>.</summary>
    public JsonElement ReplyFile(Guid orderId) => Assert.Single(ReplyFiles(orderId));

    /// <summary>The labels of the recorded message.</summary>
    public async Task<IReadOnlyList<string>> LabelsAsync(InboundMessageRouted message)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string[]>(
            "select labels from orders.order_messages where order_id = @OrderId and message_id = @MessageId", new { message.OrderId, message.MessageId }) ?? [];
    }

    private async Task ReadyAsync()
    {
        using var client = fixture.Api.CreateClient();
        await Eventually.Until(() => client.GetAsync(HealthEndpoints.ReadyPath), r => r.IsSuccessStatusCode, Timeout, "orders-api to report ready");
    }
}
