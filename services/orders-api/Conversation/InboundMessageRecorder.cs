using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Handoffs;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>What recording a routed inbound message did.</summary>
internal enum RecordOutcome
{
    /// <summary>The message is now in its order's conversation.</summary>
    Recorded,

    /// <summary>This delivery of the event was handled before (a redelivery): the conversation is unchanged.</summary>
    AlreadyProcessed,

    /// <summary>The order already has a message with this Message-ID (the same email published again): nothing changed.</summary>
    Duplicate,

    /// <summary>No order has the event's order id: nothing is recorded, and retrying would not change that.</summary>
    UnknownOrder,
}

/// <summary>What recording a routed inbound message did, and what the agent decided about it (null for an unknown order).</summary>
internal sealed record RecordResult(RecordOutcome Outcome, ReplyDecision? Decision);

/// <summary>
/// Writes a routed inbound email into its order's conversation, once, however often its event is delivered: the
/// delivery is recorded in <c>processed_messages</c> and the message keyed by (order, Message-ID), in one transaction,
/// which is also where the agent decides whether and how to answer it. A redelivery still gets a decision: the run
/// before may have died before its reply was written, and <c>agent_replies</c> tells whether it was.
/// </summary>
internal sealed class InboundMessageRecorder(NpgsqlDataSource dataSource, AgentReplies replies, AnswerLimit limit, AgentHandoffs handoffs)
{
    /// <summary>This consumer's name in <c>processed_messages</c>.</summary>
    public const string ConsumerName = "conversation";

    /// <summary>Records <paramref name="message"/> in its order's conversation, unless this delivery or this message is already there, and decides its reply.</summary>
    /// <param name="message">The routed message.</param>
    /// <param name="deliveryId">The bus envelope's message id, the same on every redelivery of one publish.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public async Task<RecordResult> RecordAsync(InboundMessageRouted message, Guid? deliveryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var firstDelivery = await ProcessedMessages.TryRecordAsync(transaction, ConsumerName, deliveryId, cancellationToken);
        var customerEmail = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "select customer_email from orders where id = @OrderId", new { message.OrderId }, transaction, cancellationToken: cancellationToken));
        if (customerEmail is null)
        {
            // Committed anyway, so a redelivery of this event is absorbed rather than reported again.
            await transaction.CommitAsync(cancellationToken);
            return new RecordResult(RecordOutcome.UnknownOrder, null);
        }

        // recorded_with_handoffs: the agent hands this message off with any label it sets, below (migration 0017), so the
        // reconcile of older builds' labels (HandoffReconcile) leaves it alone.
        var inserted = !firstDelivery ? 0 : await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into order_messages
                (order_id, message_id, thread_id, direction, from_address, subject, preview, body, new_text, in_reply_to, sender_verified, received_at, recorded_with_handoffs)
            values
                (@OrderId, @MessageId, @ThreadId, 'inbound', @From, @Subject, @Preview, @Body, @NewText, @InReplyTo, @SenderVerified, @ReceivedAt, true)
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
                message.NewText,
                message.InReplyTo,
                SenderVerified = SenderVerification.IsCustomer(message.From, customerEmail),

                // Npgsql writes only UTC offsets to timestamptz.
                ReceivedAt = message.ReceivedAt.ToUniversalTime(),
            },
            transaction,
            cancellationToken: cancellationToken));
        var decision = await ReplyDecider.DecideAsync(transaction, message, customerEmail, inserted == 1, replies, limit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (inserted == 1)
        {
            // The agent may have handed the new message to a person: counted once committed.
            handoffs.Changed();
        }

        var outcome = !firstDelivery ? RecordOutcome.AlreadyProcessed : inserted == 1 ? RecordOutcome.Recorded : RecordOutcome.Duplicate;
        return new RecordResult(outcome, decision);
    }
}
