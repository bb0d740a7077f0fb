using MassTransit;
using Npgsql;
using OrdersMail.Contracts.Outbound;
using OrdersMail.OrdersApi.Handoffs;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>
/// The relay gave up on an order's email: the order shows it failed, and why; an agent reply's failure hands the message
/// it answered to a person (<see cref="UndeliverableReplies"/>).
/// </summary>
public sealed class OutboundEmailFailedConsumer(NpgsqlDataSource dataSource, UndeliverableReplies undeliverable, ILogger<OutboundEmailFailedConsumer> logger)
    : IConsumer<OutboundEmailFailed>
{
    /// <summary>The consumer's queue.</summary>
    public const string Name = "orders-api-outbound-email-failed";

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<OutboundEmailFailed> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failed = context.Message;
        if (failed.EmailId is not { } emailId)
        {
            // The file was too broken to name its email: nothing of an order's to update.
            OrderEventsLog.Ignored(logger, Name, context.MessageId, $"the failed file {failed.FileName} names no email");
            return;
        }

        await OrderEmailEvents.ApplyAsync(dataSource, logger, context, Name, new OrderEmailUpdate(emailId, failed.OrderId, DeliveryState.Failed, failed.FailedAt)
        {
            Detail = failed.Reason,
        });
        await undeliverable.HandOffAsync(emailId, DeliveryState.Failed, context.CancellationToken);
    }
}
