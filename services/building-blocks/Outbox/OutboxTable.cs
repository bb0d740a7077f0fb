using Dapper;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>The relay's statements on <c>outbox_messages</c>.</summary>
internal static class OutboxTable
{
    /// <summary>
    /// Locks the oldest pending rows for the transaction. SKIP LOCKED hands rows another relay is publishing
    /// right now to nobody else, and a row stamped (or set aside) by a relay that committed meanwhile no longer matches.
    /// </summary>
    public static async Task<IReadOnlyList<PendingOutboxMessage>> LockPendingAsync(NpgsqlTransaction transaction, int batchSize, CancellationToken cancellationToken) =>
        [.. await transaction.Connection!.QueryAsync<PendingOutboxMessage>(new CommandDefinition(
            """
            select id as Id, message_type as MessageType, payload::text as Payload, created_at as CreatedAt, trace_parent as TraceParent
            from outbox_messages
            where published_at is null and dead_lettered_at is null
            order by created_at
            limit @BatchSize
            for update skip locked
            """,
            new { BatchSize = batchSize },
            transaction,
            cancellationToken: cancellationToken))];

    /// <summary>Stamps the whole batch's confirmed rows in one statement.</summary>
    public static Task MarkPublishedAsync(NpgsqlTransaction transaction, Guid[] ids, CancellationToken cancellationToken) =>
        ids.Length == 0
            ? Task.CompletedTask
            : transaction.Connection!.ExecuteAsync(new CommandDefinition(
                "update outbox_messages set published_at = now(), attempts = attempts + 1 where id = any(@Ids)",
                new { Ids = ids },
                transaction,
                cancellationToken: cancellationToken));

    /// <summary>
    /// Records the batch's failed attempts in one statement, setting aside each row that failed through its own fault
    /// for the <paramref name="maxAttempts"/>th time; returns the rows set aside, with their reason.
    /// </summary>
    public static async Task<IReadOnlyList<(Guid Id, int Attempts, string Error)>> RecordFailuresAsync(
        NpgsqlTransaction transaction, IReadOnlyList<OutboxFailure> failures, int maxAttempts, CancellationToken cancellationToken)
    {
        if (failures.Count == 0)
        {
            return [];
        }

        var deadLettered = await transaction.Connection!.QueryAsync<(Guid, int, string, bool)>(new CommandDefinition(
            """
            update outbox_messages m
            set attempts = m.attempts + 1,
                last_error = f.error,
                dead_lettered_at = case when f.own_fault and m.attempts + 1 >= @MaxAttempts then now() end
            from unnest(@Ids, @Errors, @OwnFaults) as f (id, error, own_fault)
            where m.id = f.id
            returning m.id, m.attempts, m.last_error, m.dead_lettered_at is not null
            """,
            new
            {
                Ids = failures.Select(f => f.Id).ToArray(),
                Errors = failures.Select(f => f.Error).ToArray(),
                OwnFaults = failures.Select(f => f.OwnFault).ToArray(),
                MaxAttempts = maxAttempts,
            },
            transaction,
            cancellationToken: cancellationToken));
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
