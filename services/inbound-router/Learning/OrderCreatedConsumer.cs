using Dapper;
using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.Contracts.Orders;

namespace OrdersMail.InboundRouter.Learning;

/// <summary>Learns each order's reference, which an inbox's <c>metadata.order_ref</c> names.</summary>
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
                "insert into order_refs (order_ref, order_id, user_id) values (@OrderRef, @OrderId, @UserId) on conflict do nothing",
                new { order.OrderRef, order.OrderId, order.UserId },
                transaction,
                cancellationToken: cancellationToken)));
    }
}
