using System.Diagnostics;
using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Contracts.Outbound;
using OrdersMail.DeliveryTracker.Delivery;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// The two commits of a Resend batch, each one short transaction that never spans the send: the membership (each
/// new member's row with <c>OutboundEmailQueued</c>, the batch's members and exact body, each member's
/// <c>batch_id</c>), and the ids Resend answered (each member sent, with <c>OutboundEmailSent</c>). Also what a
/// batch that was not answered or was refused leaves behind for its members.
/// </summary>
public sealed class ResendBatchStore(NpgsqlDataSource dataSource, OutboxWriter outbox, DeliveryTelemetry delivery, TimeProvider time)
{
    /// <summary>
    /// Picks up <paramref name="members"/> and makes those whose row this creates one batch, whose body
    /// <paramref name="body"/> builds from them (in order). Returns the batch (null when no member is new) and each
    /// member's row as found: a member whose email was picked up before is not in the batch.
    /// </summary>
    internal async Task<(PendingBatch? Batch, IReadOnlyList<EmailRecord> Rows)> CommitMembershipAsync(
        IReadOnlyList<PickUpEntry> members, Func<IReadOnlyList<PickUpEntry>, byte[]> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(body);
        PendingBatch? batch = null;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await JournalBatch.WriteAsync(transaction, members, cancellationToken);

            // Only a row this created joins: a second file with the same email id is a duplicate, not a member.
            var joining = members.Where(m => m.Record!.IsNew).ToList();
            if (joining.Count > 0)
            {
                batch = new PendingBatch(Guid.CreateVersion7(), [.. joining.Select(m => m.EmailId)], body(joining), joining.ToDictionary(m => m.EmailId, m => m.File.Email.OrderId));
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    insert into resend_batches (batch_id, email_ids, body) values (@BatchId, @EmailIds, @Body);
                    update outbound_emails set batch_id = @BatchId where email_id = any(@EmailIds);
                    """,
                    new { batch.BatchId, EmailIds = batch.EmailIds.ToArray(), batch.Body },
                    transaction,
                    cancellationToken: cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
        }

        outbox.Notify();
        return (batch, [.. members.Select(m => m.Record! with { BatchId = batch is not null && m.Record.IsNew ? batch.BatchId : m.Record.BatchId })]);
    }

    /// <summary>A batch committed before, to be sent again exactly as it was; null when it is not known.</summary>
    public async Task<PendingBatch?> FindAsync(Guid batchId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(Guid[] EmailIds, byte[] Body)?>(new CommandDefinition(
            "select email_ids, body from resend_batches where batch_id = @batchId", new { batchId }, cancellationToken: cancellationToken));
        if (row is not { } found)
        {
            return null;
        }

        var orders = await connection.QueryAsync<(Guid EmailId, Guid? OrderId)>(new CommandDefinition(
            "select email_id, order_id from outbound_emails where email_id = any(@EmailIds)", new { found.EmailIds }, cancellationToken: cancellationToken));
        return new PendingBatch(batchId, found.EmailIds, found.Body, orders.ToDictionary(o => o.EmailId, o => o.OrderId));
    }

    /// <summary>
    /// Records Resend's ids for a batch's members in one commit, each member still pending now sent, with
    /// <c>OutboundEmailSent</c> in the member's trace (its file's, when known here). Returns the members this recorded.
    /// </summary>
    public async Task<IReadOnlySet<Guid>> RecordAcceptedAsync(
        PendingBatch batch, IReadOnlyList<SendOutcome.Accepted> accepted, IReadOnlyDictionary<Guid, Activity?> traces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(traces);
        var sentAt = time.GetUtcNow();
        var entries = batch.EmailIds.Select((emailId, i) =>
        {
            var sent = new OutboundEmailSent(emailId, batch.OrderIds.GetValueOrDefault(emailId), EmailProvider.Resend, accepted[i].ProviderMessageId, sentAt, accepted[i].InternetMessageId);
            return new SentEntry(emailId, EmailProvider.Resend, accepted[i], sentAt, PrepareIn(traces.GetValueOrDefault(emailId), sent));
        }).ToList();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            foreach (var answer in await JournalBatch.WriteAsync(transaction, entries, cancellationToken))
            {
                answer();
            }

            await transaction.CommitAsync(cancellationToken);
        }

        outbox.Notify();
        RelayJournal.CountSent(delivery, entries);
        return entries.Where(e => e.Recorded).Select(e => e.EmailId).ToHashSet();
    }

    /// <summary>
    /// A batch with no definitive answer: each member still pending and due by <paramref name="dueBy"/> (another
    /// relay's count of the same round put a member's next attempt later) has one more attempt, and waits until
    /// <paramref name="nextAttemptAfter"/> the attempts made so far, or fails (with <c>OutboundEmailFailed</c>) at
    /// <paramref name="maxAttempts"/>, when Resend was unavailable (<paramref name="outagePatience"/> set) only once
    /// older than that too, as a single send does (<see cref="OutboundEmailStore.GivesUp"/>). Returns the rows counted.
    /// </summary>
    public async Task<IReadOnlyList<(EmailRecord Row, string? Kind)>> RecordTransientAsync(
        Guid batchId, string error, DateTimeOffset dueBy, Func<int, DateTimeOffset> nextAttemptAfter, int maxAttempts, TimeSpan? outagePatience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nextAttemptAfter);
        IReadOnlyList<(EmailRecord Row, Guid? OrderId, string? Kind)> rows;
        const string Counted = "batch_id = @BatchId and send_state = 'pending' and (next_attempt_at is null or next_attempt_at <= @DueBy)";
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var attempts = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                $"select max(attempts) from outbound_emails where {Counted}", new { BatchId = batchId, DueBy = dueBy.UtcDateTime }, transaction, cancellationToken: cancellationToken));
            var nextAttemptAt = nextAttemptAfter((attempts ?? 0) + 1);
            rows = [.. (await connection.QueryAsync<EmailRecord, Guid?, string?, (EmailRecord, Guid?, string?)>(new CommandDefinition(
                $"""
                update outbound_emails
                set attempts = attempts + 1, last_error = @Error, updated_at = now(),
                    send_state = case when {OutboundEmailStore.GivesUp} then 'failed' else 'pending' end,
                    next_attempt_at = case when {OutboundEmailStore.GivesUp} then null else @NextAttemptAt end
                where {Counted}
                returning {OutboundEmailStore.Columns}, false as IsNew, order_id as OrderId, kind as Kind
                """,
                new
                {
                    BatchId = batchId,
                    Error = error,
                    DueBy = dueBy.UtcDateTime,
                    NextAttemptAt = nextAttemptAt.UtcDateTime,
                    MaxAttempts = maxAttempts,
                    Outage = outagePatience is not null,
                    OutagePatience = outagePatience ?? TimeSpan.Zero,
                },
                transaction,
                cancellationToken: cancellationToken), (row, orderId, kind) => (row, orderId, kind), splitOn: "OrderId,Kind"))];
            foreach (var (row, orderId, _) in rows.Where(r => r.Row.SendState == "failed"))
            {
                await outbox.AddAsync(transaction, new OutboundEmailFailed(row.EmailId, orderId, row.FileName, $"gave up after {row.Attempts} attempts: {error}", time.GetUtcNow()), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        outbox.Notify();
        return [.. rows.Select(r => (r.Row, r.Kind))];
    }

    /// <summary>
    /// A batch put off with nothing of it sent (<paramref name="deferred"/>: Resend's quota, a pause for the account): its
    /// members still pending keep their attempts and wait until its retry time (or later, when another relay's count of
    /// a round said so), its error their last, and are then sent again as the batch. Each becomes unsent as
    /// <see cref="OutboundEmailStore.RecordDeferredAsync"/> says.
    /// </summary>
    public async Task RecordDeferredAsync(Guid batchId, SendOutcome.Deferred deferred, DateTime? onlySendSince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deferred);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            update outbound_emails
            set last_error = @Error, next_attempt_at = greatest(next_attempt_at, @RetryAt), updated_at = now(), {OutboundEmailStore.UnsentWhenHeld}
            where batch_id = @BatchId and send_state = 'pending'
            """,
            new { BatchId = batchId, deferred.Error, RetryAt = deferred.RetryAt.UtcDateTime, deferred.KeyUnused, OnlySendSince = onlySendSince },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Before a batch is sent again: its members still unsent, as <see cref="OutboundEmailStore.RecordSendingAsync"/>
    /// does for one email. Returns their window's new start, or null when none was unsent.
    /// </summary>
    public async Task<DateTime?> RecordSendingAsync(Guid batchId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<DateTime?>(new CommandDefinition(
            $"update outbound_emails set {OutboundEmailStore.Sending} where batch_id = @batchId and send_state = 'pending' and unsent returning window_from",
            new { batchId },
            cancellationToken: cancellationToken))).FirstOrDefault();
    }

    // The event carries the trace current when it is prepared: the member's own, so it belongs to its order's trace.
    private OutboxEntry PrepareIn(Activity? trace, OutboundEmailSent sent)
    {
        var current = Activity.Current;
        Activity.Current = trace ?? current;
        try
        {
            return outbox.Prepare(sent);
        }
        finally
        {
            Activity.Current = current;
        }
    }

    /// <summary>
    /// A batch Resend refused for good: in strict mode nothing of it was sent, so its members still pending leave it
    /// and are each sent on their own, where only the one at fault is refused.
    /// </summary>
    public async Task ReleaseAsync(Guid batchId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update outbound_emails set batch_id = null, updated_at = now() where batch_id = @batchId and send_state = 'pending'",
            new { batchId },
            cancellationToken: cancellationToken));
    }
}

/// <summary>A batch as committed before its send: its id (the key's source), its members in order, its exact body, their orders.</summary>
public sealed record PendingBatch(Guid BatchId, IReadOnlyList<Guid> EmailIds, byte[] Body, IReadOnlyDictionary<Guid, Guid?> OrderIds)
{
    /// <summary>The batch's <c>Idempotency-Key</c>, the same on every send of it.</summary>
    public string IdempotencyKey => $"ordersmail-batch-{BatchId:N}";
}
