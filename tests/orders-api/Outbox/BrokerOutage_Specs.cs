using System.Net;
using System.Net.Http.Headers;
using Dapper;
using OrdersMail.Contracts.Orders;
using OrdersMail.OrdersApi.Tests.Orders;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.OrdersApi.Tests.Outbox;

/// <summary>orders-api on a RabbitMQ of the test's own, stopped while an order is placed and started again.</summary>
public sealed class BrokerOutage_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // MassTransit reconnects with a growing back-off; a minute covers its first several attempts.
    private static readonly TimeSpan BrokerReconnectTimeout = TimeSpan.FromSeconds(90);

    // Longer than the relay's poll interval and backoff: a copy published again would have arrived by then.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task When_the_broker_is_down_Should_accept_the_order_and_publish_it_under_its_rows_id_when_the_broker_is_back()
    {
        await using var broker = new PrivateRabbitMq();
        await broker.StartAsync();
        var deliveries = new MessageDeliveries<OrderCreated>();
        await using var probe = await OutboxTestHosts.ProbeAsync("outage-probe", fixture.Infrastructure, deliveries, broker.Settings);
        await using var api = new PrivateBrokerOrdersApiFactory(fixture.Infrastructure, fixture.Sandbox, broker);
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.Sandbox.MintTokenAsync("user_outage"));
        await Eventually.Until(() => client.GetAsync("/health/ready"), r => r.IsSuccessStatusCode, Timeout, "orders-api to be ready");

        await broker.StopAsync();
        using var placed = await OrderRequests.PlaceAsync(client);

        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var orderId = (await OrderRequests.JsonAsync(placed))["id"]!.GetValue<Guid>();
        var outboxId = await Eventually.Until(
            () => PendingRowAsync(orderId),
            row => row is { Attempts: > 0, LastError: not null },
            Timeout,
            "the relay to record a failed publish");
        Assert.Null(outboxId!.Value.PublishedAt);
        Assert.Empty(deliveries.Of(outboxId.Value.Id));

        await broker.StartAsync();

        await deliveries.WaitForAllAsync([outboxId.Value.Id], BrokerReconnectTimeout);
        await Task.Delay(Settle);

        // At least once, as the relay promises: a publish the relay cut short when the broker came back (BrokerReturns)
        // can still leave from MassTransit's side as the relay publishes the row again (a CI run saw two copies once).
        // Every copy is the row's message under the row's id, which consumers recognise (ApplyOnceAsync).
        var copies = deliveries.Of(outboxId.Value.Id);
        Assert.NotEmpty(copies);
        Assert.All(copies, copy => Assert.Equal(orderId, copy.OrderId));
        Assert.NotNull((await PendingRowAsync(orderId))!.Value.PublishedAt);
    }

    private async Task<(Guid Id, DateTime? PublishedAt, int Attempts, string? LastError)?> PendingRowAsync(Guid orderId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<(Guid, DateTime?, int, string?)?>(
            "select id, published_at, attempts, last_error from orders.outbox_messages where payload->>'orderId' = @orderId",
            new { orderId = orderId.ToString() });
    }
}
