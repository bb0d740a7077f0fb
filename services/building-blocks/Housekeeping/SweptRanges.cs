using Dapper;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Housekeeping;

/// <summary>
/// The BRIN ranges of one table the sweep deleted rows from, rebuilt at its next sweep. A range's summary (its rows'
/// lowest and highest time) is widened by every insert and never narrowed by a delete or VACUUM: once new rows fill the
/// pages the sweep emptied, a range that kept its old lowest time matches every later cutoff, and after one
/// <c>Retention:KeepFor</c> each batch of each sweep read the table whole. Rebuilt, a range's lowest time is that of
/// the rows left in it.
/// A summary built while a transaction that began before the delete is running keeps the deleted rows, which that
/// transaction may still see. So the ranges wait for the next sweep, an hour on, and are rebuilt then once no such
/// transaction is running in the service's database (other databases' transactions do not hold its rows back); until
/// then they wait for the sweep after. Nothing waits meanwhile: only the sweep reads these summaries, and only while it
/// runs. A replica that stops forgets its ranges; each is rebuilt when the sweep next deletes from it, a
/// <c>KeepFor</c> later at most, and read by each sweep until then.
/// </summary>
internal sealed class SweptRanges
{
    // desummarize and summarize take the table's SHARE UPDATE EXCLUSIVE lock, which VACUUM holds throughout. A wait past
    // deadlock_timeout (1 s by default) would cancel an autovacuum of the table; shorter, the ranges wait for another sweep.
    private const string LockTimeout = "200ms";

    private readonly string _table;
    private readonly Dictionary<BrinIndex, HashSet<long>> _rangeStarts = [];
    private IReadOnlyList<BrinIndex>? _indexes;
    private long _lastDeleter;

    public SweptRanges(string table) => _table = table;

    /// <summary>Notes the heap blocks a committed transaction deleted rows from, for the ranges holding them.</summary>
    public async Task RememberAsync(NpgsqlConnection connection, long deleter, long[] blocks, CancellationToken cancellationToken)
    {
        if (blocks.Length == 0)
        {
            return;
        }

        _indexes ??= (await connection.QueryAsync<BrinIndex>(new CommandDefinition(
            """
            select i.indexrelid::regclass::text as name,
                   coalesce((select o.option_value::int from pg_options_to_table(x.reloptions) o where o.option_name = 'pages_per_range'), 128) as pagesperrange
            from pg_index i
            join pg_class x on x.oid = i.indexrelid
            join pg_am a on a.oid = x.relam
            where i.indrelid = @table::regclass and a.amname = 'brin'
            """,
            new { table = _table },
            cancellationToken: cancellationToken))).AsList();
        foreach (var index in _indexes)
        {
            var starts = _rangeStarts.TryGetValue(index, out var known) ? known : _rangeStarts[index] = [];
            starts.UnionWith(blocks.Select(b => b - (b % index.PagesPerRange)));
        }

        _lastDeleter = Math.Max(_lastDeleter, deleter);
    }

    /// <summary>
    /// Rebuilds the ranges noted so far, once no transaction of this database that began before their last delete is
    /// running; returns how many it rebuilt. Those it could not (a transaction still running, or the table's lock busy)
    /// are kept for the next sweep; those of an index dropped meanwhile are forgotten with it.
    /// </summary>
    public async Task<int> RebuildAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_rangeStarts.Count == 0 || !await SettledAsync(connection, cancellationToken))
        {
            return 0;
        }

        var rebuilt = 0;
        foreach (var (index, starts) in _rangeStarts.ToList())
        {
            foreach (var start in starts.Order().ToList())
            {
                var outcome = await RebuildRangeAsync(connection, index.Name, start, cancellationToken);
                if (outcome == RangeRebuild.LockBusy)
                {
                    return rebuilt;
                }

                if (outcome == RangeRebuild.IndexGone)
                {
                    break;
                }

                starts.Remove(start);
                rebuilt++;
            }

            _rangeStarts.Remove(index);
        }

        // Read the table's indexes again at the next delete: one may have been dropped or added since.
        _indexes = null;
        return rebuilt;
    }

    // Whether every transaction running in this database began after the last delete: neither its snapshot (backend_xmin,
    // taken by every statement) nor its own transaction id (backend_xid, kept between statements) is that old. Autovacuum
    // workers are listed too and counted, which can only make a rebuild wait a sweep longer.
    private async Task<bool> SettledAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            select not exists (
                select 1 from pg_stat_activity
                where datname = current_database() and pid <> pg_backend_pid()
                  and greatest(age(backend_xmin), age(backend_xid)) >= age(@deleter::text::xid8::xid))
            """,
            new { deleter = _lastDeleter },
            cancellationToken: cancellationToken));

    private static async Task<RangeRebuild> RebuildRangeAsync(NpgsqlConnection connection, string index, long start, CancellationToken cancellationToken)
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
            return RangeRebuild.Rebuilt;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return RangeRebuild.LockBusy;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return RangeRebuild.IndexGone;
        }
    }

    private enum RangeRebuild
    {
        Rebuilt,
        LockBusy,
        IndexGone,
    }

    private sealed record BrinIndex(string Name, int PagesPerRange);
}
