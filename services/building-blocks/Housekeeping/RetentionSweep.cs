using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Housekeeping;

/// <summary>
/// Deletes bookkeeping that has done its job in the service's schema, as the building blocks the service uses
/// declare it (<see cref="RetentionTarget"/>): consumed message ids (<c>processed_messages</c>) and outbox rows
/// published long ago. Pending outbox rows and dead letters are never touched, however old: they are events still
/// owed to the bus. Runs in every replica; deletes are idempotent, in small batches.
/// </summary>
public sealed partial class RetentionSweep(
    NpgsqlDataSource dataSource,
    IEnumerable<RetentionTarget> targets,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionSweep> logger) : BackgroundService
{
    /// <summary>Deletes what is past retention now; returns how many rows went.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var keep = options.Value;
        var now = time.GetUtcNow();
        var deleted = 0;
        foreach (var target in targets)
        {
            var before = now - (target.KeepFor ?? keep.KeepFor);
            var swept = await DeleteInBatchesAsync(target.Table, target.Condition, before, keep.BatchSize, cancellationToken);
            if (swept > 0)
            {
                LogSwept(logger, swept, target.Table, before);
            }

            deleted += swept;
        }

        return deleted;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Every, time);
        try
        {
            do
            {
                try
                {
                    await SweepOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The next tick tries again, whatever failed: nothing is lost by sweeping late, while an exception
                    // leaving ExecuteAsync would stop the whole host, every service's, for a housekeeping fault.
                    LogSweepFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping between sweeps: the next start sweeps again.
        }
    }

    private async Task<int> DeleteInBatchesAsync(string table, string condition, DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        var total = 0;
        int deleted;
        do
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            deleted = await connection.ExecuteAsync(new CommandDefinition(
                $"delete from {table} where ctid in (select ctid from {table} where {condition} limit @batchSize)",
                new { before, batchSize },
                cancellationToken: cancellationToken));
            total += deleted;
        }
        while (deleted == batchSize);

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} row(s) of {Table} older than {Before}")]
    private static partial void LogSwept(ILogger logger, int count, string table, DateTimeOffset before);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: the sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
