using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.Contracts.Outbound;
using OrdersMail.OrdersApi.Conversation;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>The provider accepted an order's email; an agent reply in the conversation takes the Message-ID it was sent under.</summary>
public sealed class OutboundEmailSentConsumer(NpgsqlDataSource dataSource, ILogger<OutboundEmailSentConsumer> logger)
    : IConsumer<OutboundEmailSent>
{
    /// <summary>The consumer's queue, and its name in <c>processed_messages</c>.</summary>
    public const string Name = "orders-api-outbound-email-sent";

    /// <inheritdoc />
    public Task Consume(ConsumeContext<OutboundEmailSent> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sent = context.Message;
        var update = new OrderEmailUpdate(sent.EmailId, sent.OrderId, DeliveryState.Sent, sent.SentAt) { Provider = sent.Provider };
        return ProcessedMessages.ApplyOnceAsync(dataSource, context, Name, logger, async (transaction, cancellationToken) =>
        {
            if (!await OrderEmails.ApplyAsync(transaction, update, cancellationToken))
            {
                OrderEventsLog.UnknownOrder(logger, Name, context.MessageId, update.OrderId);
            }

            if (sent.InternetMessageId is { Length: > 0 } internetMessageId)
            {
                await ConversationReplies.SetMessageIdAsync(transaction, sent.EmailId, internetMessageId, cancellationToken);
            }
        });
    }
}
