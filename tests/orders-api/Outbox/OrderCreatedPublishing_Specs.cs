using System.Diagnostics;
using Dapper;
using OrdersMail.Contracts.Orders;
using OrdersMail.OrdersApi.Tests.Orders;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.OrdersApi.Tests.Outbox;

/// <summary>orders-api, unchanged, publishing through its outbox over the real broker to a consumer on the same vhost.</summary>
public sealed class OrderCreatedPublishing_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // Longer than the relay's poll interval: a second publish of the same row would have arrived by then.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task When_an_order_is_placed_Should_publish_OrderCreated_once_under_its_outbox_row_id()
    {
        var deliveries = new MessageDeliveries<OrderCreated>();
        await using var probe = await OutboxTestHosts.ProbeAsync("order-created-probe", fixture.Infrastructure, deliveries);
        using var client = await fixture.SignedInAsync("user_publish");

        var orderId = await OrderRequests.PlacedAsync(client);

        var (outboxId, orderRef) = await OutboxRowOfAsync(orderId);
        await deliveries.WaitForAllAsync([outboxId], Timeout);
        await Task.Delay(Settle);
        var delivered = Assert.Single(deliveries.Of(outboxId));
        Assert.Equal(orderId, delivered.OrderId);
        Assert.Equal(orderRef, delivered.OrderRef);
        Assert.Equal("user_publish", delivered.UserId);
        Assert.Equal("jane@example.com", delivered.CustomerEmail);
        Assert.Equal("Jane Doe", delivered.CustomerName);

        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        Assert.NotNull(await connection.ExecuteScalarAsync<DateTime?>("select published_at from orders.outbox_messages where id = @outboxId", new { outboxId }));
    }

    [Fact]
    public async Task When_an_order_is_placed_inside_a_trace_Should_be_consumed_in_that_same_trace()
    {
        var deliveries = new MessageDeliveries<OrderCreated>();
        await using var probe = await OutboxTestHosts.ProbeAsync("order-created-trace-probe", fixture.Infrastructure, deliveries);
        using var client = await fixture.SignedInAsync("user_traced");
        var trace = ActivityTraceId.CreateRandom();
        client.DefaultRequestHeaders.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        var orderId = await OrderRequests.PlacedAsync(client);

        var (outboxId, _) = await OutboxRowOfAsync(orderId);
        await deliveries.WaitForAllAsync([outboxId], Timeout);
        Assert.Equal([trace], deliveries.TracesOf(outboxId));
    }

    private async Task<(Guid OutboxId, string OrderRef)> OutboxRowOfAsync(Guid orderId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(Guid, string)>(
            """
            select m.id, o.order_ref
            from orders.outbox_messages m join orders.orders o on o.id = (m.payload->>'orderId')::uuid
            where o.id = @orderId
            """,
            new { orderId });
    }
}
