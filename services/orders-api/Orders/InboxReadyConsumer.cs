using Dapper;
using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.Contracts.Provisioning;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// The customer's inbox for an order is ready: the order shows its reply address from now on. Ready wins over
/// failed, whatever the arrival order: a provisioning that succeeded after all has an inbox customers can use.
/// </summary>
public sealed class InboxReadyConsumer(NpgsqlDataSource dataSource, ILogger<InboxReadyConsumer> logger) : IConsumer<InboxReady>
{
    /// <summary>The consumer's queue, and its name in <c>processed_messages</c>.</summary>
    public const string Name = "orders-api-inbox-ready";

    /// <inheritdoc />
    public Task Consume(ConsumeContext<InboxReady> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ready = context.Message;
        return ProcessedMessages.ApplyOnceAsync(dataSource, context, Name, logger, async (transaction, cancellationToken) =>
        {
            // Scoped to the order's own customer too: an inbox is never attached to someone else's order.
            var updated = await transaction.Connection!.ExecuteAsync(new CommandDefinition(
                """
                update orders
                set provisioning_state = 'ready', provisioning_detail = null, inbox_id = @InboxId, reply_address = @InboxAddress
                where id = @OrderId and user_id = @UserId
                """,
                new { ready.OrderId, ready.UserId, ready.InboxId, ready.InboxAddress },
                transaction,
                cancellationToken: cancellationToken));
            if (updated == 0)
            {
                OrderEventsLog.UnknownOrder(logger, Name, context.MessageId, ready.OrderId);
            }
        });
    }
}
