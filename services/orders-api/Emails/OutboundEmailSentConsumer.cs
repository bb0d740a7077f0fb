using System.Diagnostics;
using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Outbound;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Conversation;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>
/// The provider accepted an order's email; an agent reply in the conversation takes the Message-ID it was sent under,
/// now or, when its row is not committed yet, when it is. Both writes are idempotent (the email's row converges, the
/// Message-ID is set once to the same value), so a redelivery needs no <c>processed_messages</c> record, and each
/// commits on its own: a failure between them has the message retried, which applies both again.
/// </summary>
public sealed class OutboundEmailSentConsumer(NpgsqlDataSource dataSource, ILogger<OutboundEmailSentConsumer> logger)
    : IConsumer<OutboundEmailSent>
{
    /// <summary>The consumer's queue.</summary>
    public const string Name = "orders-api-outbound-email-sent";

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<OutboundEmailSent> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sent = context.Message;
        var update = new OrderEmailUpdate(sent.EmailId, sent.OrderId, DeliveryState.Sent, sent.SentAt) { Provider = sent.Provider };
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        if (await OrderEmails.ApplyAsync(connection, update, context.CancellationToken) is { } orderRef)
        {
            Activity.Current.SetOrder(orderRef, update.OrderId);
        }
        else
        {
            OrderEventsLog.UnknownOrder(logger, Name, context.MessageId, update.OrderId);
        }

        // Only AgentMail gives an email a Message-ID of its own (every agent reply goes out through it); Resend sends
        // under the one we chose, so its emails (the order confirmations) have no conversation row to correct.
        if (sent is { Provider: EmailProvider.AgentMail, InternetMessageId: { Length: > 0 } internetMessageId })
        {
            // The event can come before the transaction adding the reply's row commits (the file is written first): the
            // claim keeps the Message-ID for that transaction, and its lock, held by it, has this one see the row.
            await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
            await AgentReplies.RecordSentMessageIdAsync(transaction, sent.EmailId, internetMessageId, context.CancellationToken);
            await ConversationReplies.SetMessageIdAsync(transaction, sent.EmailId, internetMessageId, context.CancellationToken);
            await transaction.CommitAsync(context.CancellationToken);
        }
    }
}
