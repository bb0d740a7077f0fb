using Dapper;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.OrdersApi.Confirmation;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// Provisioning the customer's inbox for an order gave up: the order records the kind of failure, which the customer is
/// told in a sentence of its own (<see cref="ProvisioningFailureText"/>), never the provisioner's reason, and its
/// confirmation is claimed with the default Reply-To in the same transaction (see <see cref="InboxReadyConsumer"/>),
/// unless one was claimed before. An order whose inbox is already ready stays ready.
/// </summary>
public sealed class InboxProvisioningFailedConsumer(
    NpgsqlDataSource dataSource,
    ConfirmationWriter confirmations,
    IOptions<ConfirmationOptions> options,
    ILogger<InboxProvisioningFailedConsumer> logger) : IConsumer<InboxProvisioningFailed>
{
    /// <summary>The consumer's queue, and its name in <c>processed_messages</c>.</summary>
    public const string Name = "orders-api-inbox-provisioning-failed";

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<InboxProvisioningFailed> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failed = context.Message;
        ConfirmationOrder? claimed = null;
        await ProcessedMessages.ApplyOnceAsync(dataSource, context, Name, logger, async (transaction, cancellationToken) =>
        {
            var known = await transaction.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
                """
                with target as (select id from orders where id = @OrderId and user_id = @UserId),
                failed as (
                    update orders set provisioning_state = 'failed', provisioning_detail = @Kind
                    where id in (select id from target) and provisioning_state <> 'ready'
                )
                select exists (select 1 from target)
                """,
                new { failed.OrderId, failed.UserId, failed.Kind },
                transaction,
                cancellationToken: cancellationToken));
            if (!known)
            {
                OrderEventsLog.UnknownOrder(logger, Name, context.MessageId, failed.OrderId);
                return;
            }

            claimed = await ConfirmationClaims.ClaimAsync(
                transaction, failed.OrderId, failed.UserId, options.Value.DefaultReplyTo, ConfirmationClaims.ProvisioningFailed, cancellationToken);
        });

        if (claimed is not null)
        {
            await confirmations.WriteAsync(claimed, context.CancellationToken);
        }
    }
}
