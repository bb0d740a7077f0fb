using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Data;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>The relay's statements on <c>outbox_messages</c>.</summary>
internal static class OutboxTable
{
    // Claims and stamps commit without waiting for the WAL flush (NoFlushWait): a claim lost in a crash only makes its
    // rows claimable again, and a stamp lost in a crash only publishes its rows again under the same message ids, which
    // consumers recognise. Neither is worth an fsync per batch.

    /// <summary>
    /// Claims the oldest pending rows nobody holds a live claim on, until <paramref name="lease"/> from now, and commits
    /// at once: one statement. SKIP LOCKED keeps two relays claiming at the same moment off each other's rows, and a
    /// row claimed by a relay that committed meanwhile no longer matches. Only rows of <paramref name="messageTypes"/>:
    /// in a rolling upgrade, replicas of two versions share the table, and a row of a type the older one does not carry
    /// is not its to publish, nor a fault of the row's to count towards setting it aside.
    /// </summary>
    public static async Task<IReadOnlyList<PendingOutboxMessage>> ClaimPendingAsync(
        NpgsqlDataSource dataSource, string[] messageTypes, int batchSize, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            NoFlushWait.Statement + """
            update outbox_messages m set claimed_until = now() + @Lease
            from (
                select id from outbox_messages
                where published_at is null and dead_lettered_at is null and (claimed_until is null or claimed_until < now())
                  and message_type = any(@MessageTypes)
                order by created_at
                limit @BatchSize
                for update skip locked) as c
            where m.id = c.id
            returning m.id as Id, m.message_type as MessageType, convert_to(m.payload::text, 'UTF8') as Payload, m.created_at as CreatedAt, m.trace_parent as TraceParent
            """,
            new { MessageTypes = messageTypes, BatchSize = batchSize, Lease = lease },
            cancellationToken: cancellationToken));
        await results.ReadSingleAsync<string>();
        var claimed = await results.ReadAsync<PendingOutboxMessage>();
        return [.. claimed.OrderBy(row => row.CreatedAt)];
    }

    /// <summary>
    /// Stamps a claimed batch in one statement and ends its claim: its confirmed rows published, each failed attempt
    /// recorded, setting aside each row that failed through its own fault for the <paramref name="maxAttempts"/>th
    /// time, and the rows left untried (the relay is stopping) given back as they were; returns the rows set aside,
    /// with their reason.
    /// </summary>
    public static async Task<IReadOnlyList<(Guid Id, int Attempts, string Error)>> StampAsync(
        NpgsqlDataSource dataSource, Guid[] published, IReadOnlyList<OutboxFailure> failures, Guid[] untried, int maxAttempts, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            NoFlushWait.Statement + """
            update outbox_messages set published_at = now(), attempts = attempts + 1, claimed_until = null where id = any(@Published);
            update outbox_messages set claimed_until = null where id = any(@Untried);
            update outbox_messages m
            set attempts = m.attempts + 1,
                last_error = f.error,
                claimed_until = null,
                dead_lettered_at = case when f.own_fault and m.attempts + 1 >= @MaxAttempts then now() end
            from unnest(@Ids, @Errors, @OwnFaults) as f (id, error, own_fault)
            where m.id = f.id
            returning m.id, m.attempts, m.last_error, m.dead_lettered_at is not null
            """,
            new
            {
                Published = published,
                Untried = untried,
                Ids = failures.Select(f => f.Id).ToArray(),
                Errors = failures.Select(f => f.Error).ToArray(),
                OwnFaults = failures.Select(f => f.OwnFault).ToArray(),
                MaxAttempts = maxAttempts,
            },
            cancellationToken: cancellationToken));
        await results.ReadSingleAsync<string>();
        var deadLettered = await results.ReadAsync<(Guid, int, string, bool)>();
        return [.. deadLettered.Where(r => r.Item4).Select(r => (r.Item1, r.Item2, r.Item3))];
    }

    /// <summary>What waits and what was set aside (the partial indexes <c>outbox_pending</c> and <c>outbox_dead_letters</c> answer it).</summary>
    public static async Task<OutboxSummary> SummarizeAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var summary = await connection.QuerySingleAsync<(long Pending, DateTime? Oldest, long DeadLetters)>(new CommandDefinition(
            """
            select count(*), min(created_at),
                   (select count(*) from outbox_messages where dead_lettered_at is not null)
            from outbox_messages
            where published_at is null and dead_lettered_at is null
            """,
            cancellationToken: cancellationToken));
        return new OutboxSummary(summary.Pending, summary.Oldest is { } oldest ? new DateTimeOffset(oldest, TimeSpan.Zero) : null, summary.DeadLetters);
    }
}
