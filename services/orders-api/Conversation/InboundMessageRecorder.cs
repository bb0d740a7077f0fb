using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.Contracts.Inbound;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>What recording a routed inbound message did.</summary>
internal enum RecordOutcome
{
    /// <summary>The message is now in its order's conversation.</summary>
    Recorded,

    /// <summary>This delivery of the event was handled before (a redelivery): nothing changed.</summary>
    AlreadyProcessed,

    /// <summary>The order already has a message with this Message-ID (the same email published again): nothing changed.</summary>
    Duplicate,

    /// <summary>No order has the event's order id: nothing is recorded, and retrying would not change that.</summary>
    UnknownOrder,
}

/// <summary>
/// Writes a routed inbound email into its order's conversation, once, however often its event is delivered: the
/// delivery is recorded in <c>processed_messages</c> and the message keyed by (order, Message-ID), in one transaction.
/// </summary>
internal sealed class InboundMessageRecorder(NpgsqlDataSource dataSource)
{
    /// <summary>This consumer's name in <c>processed_messages</c>.</summary>
    public const string ConsumerName = "conversation";

    /// <summary>Records <paramref name="message"/> in its order's conversation, unless this delivery or this message is already there.</summary>
    /// <param name="message">The routed message.</param>
    /// <param name="deliveryId">The bus envelope's message id, the same on every redelivery of one publish.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public async Task<RecordOutcome> RecordAsync(InboundMessageRouted message, Guid? deliveryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        if (!await ProcessedMessages.TryRecordAsync(transaction, ConsumerName, deliveryId, cancellationToken))
        {
            return RecordOutcome.AlreadyProcessed;
        }

        var customerEmail = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "select customer_email from orders where id = @OrderId", new { message.OrderId }, transaction, cancellationToken: cancellationToken));
        if (customerEmail is null)
        {
            // Committed anyway, so a redelivery of this event is absorbed rather than reported again.
            await transaction.CommitAsync(cancellationToken);
            return RecordOutcome.UnknownOrder;
        }

        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into order_messages
                (order_id, message_id, thread_id, direction, from_address, subject, preview, body, sender_verified, received_at)
            values
                (@OrderId, @MessageId, @ThreadId, 'inbound', @From, @Subject, @Preview, @Body, @SenderVerified, @ReceivedAt)
            on conflict (order_id, message_id) do nothing
            """,
            new
            {
                message.OrderId,
                message.MessageId,
                message.ThreadId,
                message.From,
                message.Subject,
                Preview = MessagePreview.Of(message.Text),
                Body = message.Text,
                SenderVerified = SenderVerification.IsCustomer(message.From, customerEmail),

                // Npgsql writes only UTC offsets to timestamptz.
                ReceivedAt = message.ReceivedAt.ToUniversalTime(),
            },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return inserted == 1 ? RecordOutcome.Recorded : RecordOutcome.Duplicate;
    }
}
