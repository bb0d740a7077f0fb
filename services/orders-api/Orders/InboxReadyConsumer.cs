using Dapper;
using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.OrdersApi.Confirmation;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// The customer's inbox for an order is ready: the order shows its reply address from now on, and its confirmation
/// is claimed, with the inbox as Reply-To, in the same transaction; the file is written once that has committed. One
/// queue and one commit for both: a delivery and a transaction fewer per order than a consumer each, and the view
/// and the claim can no longer part (one dead-lettered, the other applied). Ready wins over failed, whatever the
/// arrival order: a provisioning that succeeded after all has an inbox customers can use.
/// </summary>
public sealed class InboxReadyConsumer(NpgsqlDataSource dataSource, ConfirmationWriter confirmations, ILogger<InboxReadyConsumer> logger) : IConsumer<InboxReady>
{
    /// <summary>The consumer's queue, and its name in <c>processed_messages</c>.</summary>
    public const string Name = "orders-api-inbox-ready";

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<InboxReady> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ready = context.Message;
        ConfirmationOrder? claimed = null;
        await ProcessedMessages.ApplyOnceAsync(dataSource, context, Name, logger, async (transaction, cancellationToken) =>
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
                return;
            }

            claimed = await ConfirmationClaims.ClaimAsync(
                transaction, ready.OrderId, ready.UserId, ready.InboxAddress, ConfirmationClaims.InboxReady, cancellationToken);
        });

        // A crash before the file is written leaves the claim unwritten: the confirmation sweeper writes it again.
        if (claimed is not null)
        {
            await confirmations.WriteAsync(claimed, context.CancellationToken);
        }
    }
}
