using Dapper;
using Npgsql;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Sweeping;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Reply claims left unwritten longer than the sweeper's bound: their consumer failed to compose or write them through
/// every retry (the message is in the error queue) or died. Each is taken in a short transaction that stamps it (its
/// time and one more attempt), so no other replica takes it at the same time, and rebuilt from what is stored about
/// the message it answers; one taken as often as allowed is given up instead, until ops put it back
/// (<see cref="ReplyWriteAgainEndpoint"/>).
/// </summary>
internal sealed class AbandonedReplies(NpgsqlDataSource dataSource)
{
    private static readonly UnwrittenClaims Claims = new("agent_replies", "order_id, message_id", "@OrderId, @MessageId");

    /// <summary>
    /// Gives up the claims unwritten for longer than <paramref name="after"/> whose <paramref name="maxAttempts"/> are
    /// spent, and takes the others, each for one more attempt; at most <paramref name="batchSize"/> of each, skipping
    /// claims another transaction holds (a writer writing it, another replica's sweep).
    /// </summary>
    public async Task<TakenReplies> TakeAsync(TimeSpan after, int maxAttempts, int batchSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (givenUp, taken) = await Claims.TakeAsync<GivenUpReply, (Guid OrderId, string MessageId)>(
            transaction, "order_id as OrderId, message_id as MessageId, email_id as EmailId, attempts as Attempts", after, maxAttempts, batchSize, cancellationToken);
        var replies = await LoadAsync(transaction, taken, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new TakenReplies(replies, givenUp);
    }

    /// <summary>Gives back the attempt the sweeper stamped on the claims of the replies to <paramref name="messages"/>, whose write failed or stopped for no fault of their own.</summary>
    public Task GiveBackAttemptsAsync(IEnumerable<(Guid OrderId, string MessageId)> messages, CancellationToken cancellationToken) =>
        Claims.GiveBackAttemptsAsync(dataSource, [.. messages.Select(m => (object)new { m.OrderId, m.MessageId })], cancellationToken);

    /// <summary>
    /// Puts the claim of the reply to message <paramref name="messageId"/> of order <paramref name="orderId"/> back in the
    /// sweeper's hands if the sweeper gave it up unwritten (ops fixed what failed its writes), its email id and file
    /// name as claimed; otherwise says why not, changing nothing (<see cref="UnwrittenClaims.PutBackAsync{TClaim}"/>).
    /// </summary>
    public Task<WriteAgainOutcome<AgentReplyPutBack>> PutBackAsync(Guid orderId, string messageId, CancellationToken cancellationToken) =>
        Claims.PutBackAsync<AgentReplyPutBack>(
            dataSource,
            "c.order_id as OrderId, o.order_ref as OrderRef, c.message_id as MessageId, c.email_id as EmailId, c.intent as Intent",
            new { OrderId = orderId, MessageId = messageId },
            cancellationToken);

    // The message as it was routed, from its conversation row and the claim (its new words and In-Reply-To with it, which
    // decide what the agent reads); the decision as the recording run made it.
    private static async Task<IReadOnlyList<TakenReply>> LoadAsync(NpgsqlTransaction transaction, (Guid OrderId, string MessageId)[] taken, CancellationToken cancellationToken)
    {
        if (taken.Length == 0)
        {
            return [];
        }

        var rows = await transaction.Connection!.QueryAsync<ClaimedMessageRow>(new CommandDefinition(
            """
            select r.order_id as OrderId, r.message_id as MessageId, r.email_id as EmailId, r.file_name as FileName, r.claimed_at as ClaimedAt,
                   r.inbox_id as InboxId, r.thread_refs as ThreadRefs, r.trace_parent as TraceParent, r.attempts as Attempts,
                   m.thread_id as ThreadId, m.from_address as FromAddress, m.subject as Subject, m.body as Body,
                   m.new_text as NewText, m.in_reply_to as InReplyTo,
                   m.sender_verified as SenderVerified, m.received_at as ReceivedAt, o.order_ref as OrderRef
            from unnest(@OrderIds, @MessageIds) as t (order_id, message_id)
            join agent_replies r on r.order_id = t.order_id and r.message_id = t.message_id
            join order_messages m on m.order_id = r.order_id and m.message_id = r.message_id
            join orders o on o.id = r.order_id
            """,
            new { OrderIds = taken.Select(t => t.OrderId).ToArray(), MessageIds = taken.Select(t => t.MessageId).ToArray() },
            transaction,
            cancellationToken: cancellationToken));
        var replies = new List<TakenReply>();
        foreach (var row in rows)
        {
            var message = new InboundMessageRouted(
                row.OrderId, row.InboxId, row.MessageId, row.ThreadId ?? "", row.FromAddress, row.Subject, row.Body, row.InReplyTo, row.ThreadRefs,
                "", new DateTimeOffset(DateTime.SpecifyKind(row.ReceivedAt, DateTimeKind.Utc)), OrderRef: row.OrderRef, NewText: row.NewText);
            var claim = new AgentReplyClaim(row.OrderId, row.MessageId, row.EmailId, row.FileName, row.ClaimedAt, TakenOver: true);
            replies.Add(new TakenReply(
                message, await ReplyDecider.AnswerAsync(transaction, message, row.SenderVerified, claim, cancellationToken), row.TraceParent, row.Attempts));
        }

        return replies;
    }

    // A class with setters, not a record: Dapper matches a record's constructor by exact column types, and text[] reads as System.Array.
    private sealed class ClaimedMessageRow
    {
        public Guid OrderId { get; set; }

        public string MessageId { get; set; } = "";

        public Guid EmailId { get; set; }

        public string FileName { get; set; } = "";

        public DateTime ClaimedAt { get; set; }

        public string InboxId { get; set; } = "";

        public string[] ThreadRefs { get; set; } = [];

        public string? TraceParent { get; set; }

        public int Attempts { get; set; }

        public string? ThreadId { get; set; }

        public string FromAddress { get; set; } = "";

        public string Subject { get; set; } = "";

        public string Body { get; set; } = "";

        public string? NewText { get; set; }

        public string? InReplyTo { get; set; }

        public bool SenderVerified { get; set; }

        public DateTime ReceivedAt { get; set; }

        public string OrderRef { get; set; } = "";
    }
}

/// <summary>What one sweep took: the replies to write again, and the claims given up.</summary>
/// <param name="Replies">The claims taken for one more attempt, ready to compose and write.</param>
/// <param name="GivenUp">The claims whose attempts were spent, now given up.</param>
internal sealed record TakenReplies(IReadOnlyList<TakenReply> Replies, IReadOnlyList<GivenUpReply> GivenUp);

/// <summary>A claim taken for another attempt.</summary>
/// <param name="Message">The message it answers, as it was routed (but for the routing facts the reply does not use).</param>
/// <param name="Decision">The reply to compose and the claim to write it under.</param>
/// <param name="TraceParent">The trace of the run that claimed it, which the reply's writing continues.</param>
/// <param name="Attempt">Which of the sweeper's attempts this is.</param>
internal sealed record TakenReply(InboundMessageRouted Message, ReplyDecision Decision, string? TraceParent, int Attempt);

/// <summary>A claim given up after its last attempt: its reply is never written, unless its message is delivered again.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="MessageId">The message it would have answered.</param>
/// <param name="EmailId">The reply's email id.</param>
/// <param name="Attempts">The sweeper's attempts spent on it.</param>
internal sealed record GivenUpReply(Guid OrderId, string MessageId, Guid EmailId, int Attempts);
