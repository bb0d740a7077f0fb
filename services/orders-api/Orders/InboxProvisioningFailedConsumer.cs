using Dapper;
using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.Contracts.Provisioning;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// Provisioning the customer's inbox for an order gave up: the order shows why. An order whose inbox is
/// already ready stays ready (see <see cref="InboxReadyConsumer"/>).
/// </summary>
public sealed class InboxProvisioningFailedConsumer(NpgsqlDataSource dataSource, ILogger<InboxProvisioningFailedConsumer> logger)
    : IConsumer<InboxProvisioningFailed>
{
    /// <summary>The consumer's queue, and its name in <c>processed_messages</c>.</summary>
    public const string Name = "orders-api-inbox-provisioning-failed";

    /// <inheritdoc />
    public Task Consume(ConsumeContext<InboxProvisioningFailed> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failed = context.Message;
        return ProcessedMessages.ApplyOnceAsync(dataSource, context, Name, logger, async (transaction, cancellationToken) =>
        {
            var known = await transaction.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
                """
                with target as (select id from orders where id = @OrderId and user_id = @UserId),
                failed as (
                    update orders set provisioning_state = 'failed', provisioning_detail = @Reason
                    where id in (select id from target) and provisioning_state <> 'ready'
                )
                select exists (select 1 from target)
                """,
                new { failed.OrderId, failed.UserId, failed.Reason },
                transaction,
                cancellationToken: cancellationToken));
            if (!known)
            {
                OrderEventsLog.UnknownOrder(logger, Name, context.MessageId, failed.OrderId);
            }
        });
    }
}
