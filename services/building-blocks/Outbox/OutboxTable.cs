using Dapper;
using Npgsql;

namespace OrdersMail.OrdersApi.Outbox;

/// <summary>The relay's statements on <c>outbox_messages</c>.</summary>
internal static class OutboxTable
{
    /// <summary>
    /// Locks the oldest pending rows for the transaction. SKIP LOCKED hands rows another relay is publishing
    /// right now to nobody else, and a row stamped by a relay that committed meanwhile no longer matches.
    /// </summary>
    public static async Task<IReadOnlyList<PendingOutboxMessage>> LockPendingAsync(NpgsqlTransaction transaction, int batchSize, CancellationToken cancellationToken) =>
        [.. await transaction.Connection!.QueryAsync<PendingOutboxMessage>(new CommandDefinition(
            """
            select id as Id, message_type as MessageType, payload::text as Payload, created_at as CreatedAt, trace_parent as TraceParent
            from outbox_messages
            where published_at is null
            order by created_at
            limit @BatchSize
            for update skip locked
            """,
            new { BatchSize = batchSize },
            transaction,
            cancellationToken: cancellationToken))];

    public static Task MarkPublishedAsync(NpgsqlTransaction transaction, Guid[] ids, CancellationToken cancellationToken) =>
        ids.Length == 0
            ? Task.CompletedTask
            : transaction.Connection!.ExecuteAsync(new CommandDefinition(
                "update outbox_messages set published_at = now(), attempts = attempts + 1 where id = any(@Ids)",
                new { Ids = ids },
                transaction,
                cancellationToken: cancellationToken));

    public static Task RecordFailureAsync(NpgsqlTransaction transaction, Guid id, string error, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "update outbox_messages set attempts = attempts + 1, last_error = @Error where id = @Id",
            new { Id = id, Error = error },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>How many rows wait and since when (the partial index <c>outbox_pending</c> answers it).</summary>
    public static async Task<(long Count, DateTimeOffset? Oldest)> SummarizePendingAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var summary = await connection.QuerySingleAsync<(long Count, DateTime? Oldest)>(new CommandDefinition(
            "select count(*), min(created_at) from outbox_messages where published_at is null",
            cancellationToken: cancellationToken));
        return (summary.Count, summary.Oldest is { } oldest ? new DateTimeOffset(oldest, TimeSpan.Zero) : null);
    }
}
