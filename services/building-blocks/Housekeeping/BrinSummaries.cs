using System.Diagnostics;
using Dapper;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Housekeeping;

/// <summary>
/// The BRIN indexes through which the sweep finds a table's expired rows, and the rebuilding of the ranges it deleted
/// from. A range's summary (its rows' lowest and highest time) is widened by every insert and never narrowed by a delete
/// or VACUUM: once new rows fill the pages the sweep emptied, a range that kept its old lowest time would match every
/// later sweep's cutoff, so after one <c>Retention:KeepFor</c> each batch of a sweep read the whole table again. Rebuilt
/// after the delete, the range's lowest time is that of the rows left in it. One instance serves one table's sweep.
/// </summary>
internal sealed class BrinSummaries
{
    // desummarize and summarize take the table's SHARE UPDATE EXCLUSIVE lock, which VACUUM holds throughout. A wait past
    // deadlock_timeout (1 s by default) would cancel an autovacuum of the table; shorter, the ranges wait for another try.
    private const string LockTimeout = "200ms";

    // How long the sweep's end waits for its last batches' deletions to settle, and how often it looks. A transaction
    // open longer than this, anywhere on the server, leaves those ranges as they are until the sweep next deletes from
    // them, wider than they need be but never wrong.
    private static readonly TimeSpan SettleFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SettlePoll = TimeSpan.FromMilliseconds(100);

    private readonly IReadOnlyList<BrinIndex> _indexes;
    private readonly List<Deletion> _unsettled = [];

    private BrinSummaries(IReadOnlyList<BrinIndex> indexes) => _indexes = indexes;

    /// <summary>The BRIN indexes of <paramref name="table"/>, none for a table that has none.</summary>
    public static async Task<BrinSummaries> OfTableAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        var indexes = await connection.QueryAsync<BrinIndex>(new CommandDefinition(
            """
            select i.indexrelid::regclass::text as name,
                   coalesce((select o.option_value::int from pg_options_to_table(x.reloptions) o where o.option_name = 'pages_per_range'), 128) as pagesperrange
            from pg_index i
            join pg_class x on x.oid = i.indexrelid
            join pg_am a on a.oid = x.relam
            where i.indrelid = @table::regclass and a.amname = 'brin'
            """,
            new { table },
            cancellationToken: cancellationToken));
        return new BrinSummaries(indexes.AsList());
    }

    /// <summary>Notes the heap blocks a committed transaction deleted rows from, whose ranges are rebuilt once it has settled.</summary>
    public void Deleted(ulong transaction, long[] blocks)
    {
        if (_indexes.Count > 0 && blocks.Length > 0)
        {
            _unsettled.Add(new Deletion(transaction, blocks));
        }
    }

    /// <summary>
    /// Rebuilds the ranges of the deletions that have settled: no transaction that began before one is still running.
    /// A summary built earlier would keep the deleted rows, which such a transaction may still see. The oldest running
    /// transaction id tells, which covers every transaction that has written; one that only reads, and began before,
    /// goes unseen. Returns whether any deletion is left to rebuild.
    /// </summary>
    public async Task<bool> RebuildSettledAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_unsettled.Count == 0)
        {
            return false;
        }

        var oldestRunning = await connection.ExecuteScalarAsync<ulong>(new CommandDefinition(
            "select pg_snapshot_xmin(pg_current_snapshot())", cancellationToken: cancellationToken));
        var settled = _unsettled.Where(d => d.Transaction < oldestRunning).ToList();
        if (settled.Count > 0 && await RebuildAsync(connection, settled.SelectMany(d => d.Blocks), cancellationToken))
        {
            _unsettled.RemoveAll(settled.Contains);
        }

        return _unsettled.Count > 0;
    }

    /// <summary>After the sweep's last batch: rebuilds the rest as their deletions settle, for <see cref="SettleFor"/> at most.</summary>
    public async Task SettleAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        // Bounded by the clock, not by a count of looks: a look that waits for the table's lock takes longer than the poll.
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < SettleFor)
        {
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            {
                if (!await RebuildSettledAsync(connection, cancellationToken))
                {
                    return;
                }
            }

            await Task.Delay(SettlePoll, cancellationToken);
        }
    }

    // Rebuilds each range holding one of the blocks, one range per short transaction; false when the table's lock was
    // not to be had, the rest left for another try.
    private async Task<bool> RebuildAsync(NpgsqlConnection connection, IEnumerable<long> blocks, CancellationToken cancellationToken)
    {
        var distinct = blocks.ToHashSet();
        foreach (var index in _indexes)
        {
            foreach (var start in distinct.Select(b => b - (b % index.PagesPerRange)).Distinct().Order())
            {
                if (!await RebuildRangeAsync(connection, index.Name, start, cancellationToken))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static async Task<bool> RebuildRangeAsync(NpgsqlConnection connection, string index, long start, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                select set_config('lock_timeout', @LockTimeout, true);
                select brin_desummarize_range(@index::regclass, @start);
                select brin_summarize_range(@index::regclass, @start);
                """,
                new { LockTimeout, index, start },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return false;
        }
    }

    private sealed record BrinIndex(string Name, int PagesPerRange);

    private sealed record Deletion(ulong Transaction, long[] Blocks);
}
