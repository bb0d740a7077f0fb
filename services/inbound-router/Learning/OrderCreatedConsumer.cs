using Dapper;
using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Orders;

namespace OrdersMail.InboundRouter.Learning;

/// <summary>
/// Learns each order's reference, which an inbox's <c>metadata.order_ref</c> names, and the order's trace (this
/// consume's), which the routing of the customer's emails links to.
/// </summary>
public sealed class OrderCreatedConsumer(NpgsqlDataSource dataSource, ILogger<OrderCreatedConsumer> logger) : IConsumer<OrderCreated>
{
    /// <summary>The consumer's queue, and its name in <c>processed_messages</c>.</summary>
    public const string Name = "inbound-router-order-created";

    /// <inheritdoc />
    public Task Consume(ConsumeContext<OrderCreated> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var order = context.Message;
        return ProcessedMessages.ApplyOnceAsync(dataSource, context, Name, logger, (transaction, cancellationToken) =>
            transaction.Connection!.ExecuteAsync(new CommandDefinition(
                """
                insert into order_refs (order_ref, order_id, user_id, trace_parent) values (@OrderRef, @OrderId, @UserId, @TraceParent)
                on conflict (order_ref) do update set trace_parent = coalesce(order_refs.trace_parent, excluded.trace_parent)
                """,
                new { order.OrderRef, order.OrderId, order.UserId, TraceParent = TraceParents.Current() },
                transaction,
                cancellationToken: cancellationToken)));
    }
}
