using Dapper;
using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Orders;

namespace OrdersMail.InboundRouter.Learning;

/// <summary>
/// Learns each order's reference, which an inbox's <c>metadata.order_ref</c> names, when it was placed (mail received
/// before that goes to an earlier order of the customer: <see cref="Routing.InboundRouting"/>), and the order's trace
/// (this consume's), which the routing of the customer's emails links to. An order's reference, id, customer and
/// placing time never change and the first trace learnt is kept, so the upsert is idempotent: a redelivery or a copy
/// changes nothing, an <c>InboxReady</c> that came first (it carries no placing time) gets it, and the consume is one
/// statement with no <c>processed_messages</c> record.
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
            insert into order_refs (order_ref, order_id, user_id, trace_parent, placed_at) values (@OrderRef, @OrderId, @UserId, @TraceParent, @PlacedAt)
            on conflict (order_ref) do update set trace_parent = coalesce(order_refs.trace_parent, excluded.trace_parent),
                placed_at = coalesce(order_refs.placed_at, excluded.placed_at)
            """,
            new { order.OrderRef, order.OrderId, order.UserId, TraceParent = TraceParents.Current(), PlacedAt = order.PlacedAt.UtcDateTime },
            cancellationToken: context.CancellationToken));
    }
}
