using Dapper;
using OrdersMail.BuildingBlocks.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Housekeeping;

/// <summary>
/// Deletes bookkeeping that has done its job in the service's schema, as the building blocks the service uses
/// declare it (<see cref="RetentionTarget"/>): consumed message ids (<c>processed_messages</c>) and outbox rows
/// published long ago. Pending outbox rows and dead letters are never touched, however old: they are events still
/// owed to the bus. Runs in every replica; deletes are idempotent, in small batches. It finds the rows through BRIN
/// indexes on their times, and rebuilds the ranges it deleted from at its next sweep (<see cref="SweptRanges"/>).
/// </summary>
public sealed partial class RetentionSweep(
    NpgsqlDataSource dataSource,
    IEnumerable<RetentionTarget> targets,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionSweep> logger) : PeriodicSweep<int>(time)
{
    // What each target's last sweeps deleted from.
    private readonly Dictionary<RetentionTarget, SweptRanges> _swept = [];

    /// <summary>Deletes what is past retention now; returns how many rows went.</summary>
    protected override async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var keep = options.Value;
        var now = Time.GetUtcNow();
        var deleted = 0;
        foreach (var target in targets)
        {
            var swept = _swept.TryGetValue(target, out var known) ? known : _swept[target] = new SweptRanges(target.Table);
            await RebuildAsync(target.Table, swept, cancellationToken);
            var before = now - (target.KeepFor ?? keep.KeepFor);
            var count = await DeleteInBatchesAsync(target, swept, before, keep.BatchSize, cancellationToken);
            if (count > 0)
            {
                LogSwept(logger, count, target.Table, before);
            }

            deleted += count;
        }

        return deleted;
    }

    /// <inheritdoc />
    protected override TimeSpan Every => options.Value.Every;

    /// <inheritdoc />
    protected override void SweepFailed(Exception exception) => LogSweepFailed(logger, exception);

    // Rebuilding only keeps later sweeps' lookups short: whatever fails in it, the ranges wait for the next sweep and
    // this one deletes what is due all the same.
    private async Task RebuildAsync(string table, SweptRanges swept, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var rebuilt = await swept.RebuildAsync(connection, cancellationToken);
            if (rebuilt > 0)
            {
                LogRebuilt(logger, rebuilt, table);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRebuildFailed(logger, e, table);
        }
    }

    private async Task<int> DeleteInBatchesAsync(RetentionTarget target, SweptRanges swept, DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        var total = 0;
        DeletedBatch batch;
        do
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            batch = await connection.QuerySingleAsync<DeletedBatch>(new CommandDefinition(
                $"""
                with deleted as (delete from {target.Table} where ctid in (select ctid from {target.Table} where {target.Condition} limit @batchSize) returning ctid)
                select count(*)::int as deleted, coalesce(array_agg(distinct (ctid::text::point)[0]::bigint), array[]::bigint[]) as blocks,
                       coalesce(pg_current_xact_id_if_assigned()::text::bigint, 0) as deleter
                from deleted
                """,
                new { before, batchSize },
                cancellationToken: cancellationToken));
            await swept.RememberAsync(connection, batch.Deleter, batch.Blocks, cancellationToken);
            total += batch.Deleted;
        }
        while (batch.Deleted == batchSize);

        return total;
    }

    // The rows one batch deleted, the heap blocks they were in and the transaction that deleted them. Properties, not a
    // constructor: Dapper reports an array column as System.Array, which matches no constructor's long[].
    private sealed class DeletedBatch
    {
        public int Deleted { get; init; }

        public long[] Blocks { get; init; } = [];

        public long Deleter { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} row(s) of {Table} older than {Before}")]
    private static partial void LogSwept(ILogger logger, int count, string table, DateTimeOffset before);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention: rebuilt the BRIN summaries of {Count} range(s) of {Table} the last sweep deleted from")]
    private static partial void LogRebuilt(ILogger logger, int count, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: rebuilding the BRIN summaries of {Table} failed; the ranges wait for the next sweep")]
    private static partial void LogRebuildFailed(ILogger logger, Exception exception, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: the sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
