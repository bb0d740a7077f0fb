using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Conversation;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// The <c>agent_replies</c> table: one row per inbound message the agent answers, the claim on its reply. The row is
/// inserted in the transaction that records the message, before any file exists, with the email id and the file's name
/// fixed then, and what the reply needs besides the recorded message (its inbox, the thread's References, the trace);
/// the file is written under the row's lock by whichever run finds it unwritten, and the same transaction marks it
/// written and adds the reply to the conversation. Racing runs therefore write one file, and a run that died or failed
/// between the claim and its commit leaves the claim unwritten for the redelivery, or past every retry for the sweeper
/// (<see cref="AbandonedReplies"/>), which write it under the same name, or record the file that run left.
/// </summary>
internal sealed class AgentReplies(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// Claims the reply to <paramref name="message"/> in the recording transaction; the claim to write when it is new or
    /// was left unwritten, null when its file is written already.
    /// </summary>
    public async Task<AgentReplyClaim?> ClaimAsync(NpgsqlTransaction transaction, InboundMessageRouted message, string intent, CancellationToken cancellationToken)
    {
        var (orderId, messageId) = (message.OrderId, message.MessageId);
        var emailId = AgentReplyIds.For(orderId, messageId);
        var connection = transaction.Connection!;

        // claimed_at on the database's clock, which the sweeper judges it by (claimed_at < now() - RewriteAfter): on the
        // host's, a host behind the database would make every claim overdue the moment it was made.
        var claimedNow = await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into agent_replies (order_id, message_id, email_id, file_name, intent, claimed_at, inbox_id, thread_refs, trace_parent, sender)
            values (@OrderId, @MessageId, @EmailId, @FileName, @Intent, now(), @InboxId, @ThreadRefs, @TraceParent, lower(@Sender))
            on conflict do nothing
            """,
            new
            {
                OrderId = orderId,
                MessageId = messageId,
                EmailId = emailId,
                FileName = MailOutboxWriter.FileName(time.GetUtcNow(), emailId),
                Intent = intent,
                message.InboxId,
                ThreadRefs = (message.References ?? []).ToArray(),
                TraceParent = TraceParents.Current(),

                // What AnswerLimit counts a sender's answers by, the local part's +tag left out when it counts.
                Sender = SenderVerification.AddressOf(message.From),
            },
            transaction,
            cancellationToken: cancellationToken));
        if (claimedNow == 0)
        {
            // Taken over, so stamped again: a run that made the claim and still composes then finds, when it writes, that
            // another run may have written the file meanwhile.
            await connection.ExecuteAsync(new CommandDefinition(
                "update agent_replies set claimed_at = now() where order_id = @OrderId and message_id = @MessageId and written_at is null",
                new { OrderId = orderId, MessageId = messageId },
                transaction,
                cancellationToken: cancellationToken));
        }

        var claim = await connection.QuerySingleAsync<ClaimRow>(new CommandDefinition(
            """
            select email_id as EmailId, file_name as FileName, claimed_at as ClaimedAt, written_at is not null as Written
            from agent_replies where order_id = @OrderId and message_id = @MessageId
            """,
            new { OrderId = orderId, MessageId = messageId },
            transaction,
            cancellationToken: cancellationToken));
        return claim.Written ? null : new AgentReplyClaim(orderId, messageId, claim.EmailId, claim.FileName, claim.ClaimedAt, TakenOver: claimedNow == 0);
    }

    /// <summary>
    /// Writes the claimed reply's file with <paramref name="writeFile"/> under the claim's lock, unless another run wrote
    /// it meanwhile, then marks it written and adds the reply <paramref name="writeFile"/> returns, the file's, to the
    /// conversation, in one transaction. True when this run wrote it. <paramref name="writeFile"/> is told whether another
    /// run may have left the file: the claim was taken over, before this run (<see cref="AgentReplyClaim.TakenOver"/>)
    /// or since (stamped again by the sweeper or a racing run while this one composed).
    /// </summary>
    public async Task<bool> WriteOnceAsync(
        AgentReplyClaim claim, string composer, Func<bool, CancellationToken, Task<OutboundReply>> writeFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(writeFile);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var locked = await connection.QuerySingleOrDefaultAsync<LockedClaim>(new CommandDefinition(
            """
            select written_at is not null as Written, sent_message_id as SentMessageId, claimed_at <> @ClaimedAt as TakenOverSince
            from agent_replies where order_id = @OrderId and message_id = @MessageId for update
            """,
            claim,
            transaction,
            cancellationToken: cancellationToken));
        if (locked is not { Written: false })
        {
            return false;
        }

        // The lock is held only while a local file is looked for, written and synced, never while the reply is composed.
        var reply = await writeFile(claim.TakenOver || locked.TakenOverSince, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update agent_replies set written_at = now(), composer = @Composer where order_id = @OrderId and message_id = @MessageId",
            new { claim.OrderId, claim.MessageId, Composer = composer },
            transaction,
            cancellationToken: cancellationToken));
        await ConversationReplies.AddAsync(transaction, reply, cancellationToken);
        if (locked.SentMessageId is { } sentMessageId)
        {
            // The file was sent, and its OutboundEmailSent consumed, before this row existed (a run that died after the
            // file, recorded now): the row takes the Message-ID the event left on the claim.
            await ConversationReplies.SetMessageIdAsync(transaction, claim.EmailId, sentMessageId, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Keeps <paramref name="internetMessageId"/>, the Message-ID reply <paramref name="emailId"/> was sent under, on its
    /// claim, waiting for the claim's lock while a run writes it: the caller then corrects the conversation row in the
    /// same transaction, which sees the row that run added; or, when the event comes first, that run finds it here.
    /// </summary>
    public static Task RecordSentMessageIdAsync(NpgsqlTransaction transaction, Guid emailId, string internetMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "update agent_replies set sent_message_id = @InternetMessageId where email_id = @EmailId",
            new { EmailId = emailId, InternetMessageId = internetMessageId },
            transaction,
            cancellationToken: cancellationToken));
    }

    private sealed record ClaimRow(Guid EmailId, string FileName, DateTime ClaimedAt, bool Written);

    private sealed record LockedClaim(bool Written, string? SentMessageId, bool TakenOverSince);
}

/// <summary>
/// A claimed reply not written yet: the file name and email id every run for the message writes it under, and when this
/// run claimed or took it (<paramref name="ClaimedAt"/>, the database's clock; another run taking it over stamps it again).
/// <paramref name="TakenOver"/>: an earlier run made the claim (one that died or failed, or a run racing this one), so
/// its file may exist.
/// </summary>
internal sealed record AgentReplyClaim(Guid OrderId, string MessageId, Guid EmailId, string FileName, DateTime ClaimedAt, bool TakenOver);
