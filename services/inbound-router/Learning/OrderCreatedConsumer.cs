using Dapper;
using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Orders;

namespace OrdersMail.InboundRouter.Learning;

/// <summary>
/// Learns each order's reference, which an inbox's <c>metadata.order_ref</c> names, and the order's trace (this
/// consume's), which the routing of the customer's emails links to. An order's reference, id and customer never change
/// and the first trace learnt is kept, so the upsert is idempotent: a redelivery, a copy or an <c>InboxReady</c> that
/// came first changes nothing, and the consume is one statement with no <c>processed_messages</c> record.
/// </summary>
public sealed class OrderCreatedConsumer(NpgsqlDataSource dataSource) : IConsumer<OrderCreated>
{
    /// <summary>The consumer's queue.</summary>
    public const string Name = "inbound-router-order-created";

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<OrderCreated> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var order = context.Message;
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into order_refs (order_ref, order_id, user_id, trace_parent) values (@OrderRef, @OrderId, @UserId, @TraceParent)
            on conflict (order_ref) do update set trace_parent = coalesce(order_refs.trace_parent, excluded.trace_parent)
            """,
            new { order.OrderRef, order.OrderId, order.UserId, TraceParent = TraceParents.Current() },
            cancellationToken: context.CancellationToken));
    }
}
