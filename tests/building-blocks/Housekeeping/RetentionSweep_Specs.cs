using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrdersMail.BuildingBlocks.Housekeeping;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Tests.Outbox;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Housekeeping;

/// <summary>The sweep of a test service that uses the outbox and processed messages, as AddOutbox and AddProcessedMessages register it.</summary>
public sealed class RetentionSweep_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly TimeSpan Old = TimeSpan.FromDays(8);

    private const string ExpiredSpecRows = "message_type = 'spec-reused' and created_at < now() - interval '7 days'";

    private const string TablePages = "select pg_relation_size('outbox_messages') / current_setting('block_size')::int";

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["TestService:Retention:BatchSize"] = "100",

        // The host's relay looks once at start and not again during the spec: its rows are not for publishing.
        ["TestService:Outbox:PollInterval"] = "01:00:00",
    };

    [Fact]
    public async Task Should_delete_old_bookkeeping_in_batches_and_keep_what_is_recent_or_still_owed_to_the_bus()
    {
        await using var host = await StartHostAsync();
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        var consumer = $"spec-{Guid.NewGuid():N}";
        await using var connection = await dataSource.OpenConnectionAsync();
        var oldIds = Enumerable.Range(0, 250).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in oldIds)
        {
            await connection.ExecuteAsync("insert into processed_messages (consumer, message_id, processed_at) values (@consumer, @id, now() - @Old)", new { consumer, id, Old });
        }

        var recentProcessed = Guid.NewGuid();
        await connection.ExecuteAsync("insert into processed_messages (consumer, message_id) values (@consumer, @recentProcessed)", new { consumer, recentProcessed });
        var (oldPublished, oldPending, recentPublished, oldDeadLetter) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await connection.ExecuteAsync(
            """
            insert into outbox_messages (id, message_type, payload, created_at, published_at, dead_lettered_at) values
                (@oldPublished, 'spec', '{}', now() - @Old, now() - @Old, null),
                (@oldPending, 'spec', '{}', now() - @Old, null, null),
                (@recentPublished, 'spec', '{}', now(), now(), null),
                (@oldDeadLetter, 'spec', '{}', now() - @Old, null, now() - @Old)
            """,
            new { oldPublished, oldPending, recentPublished, oldDeadLetter, Old });
        var sweep = host.Services.GetRequiredService<RetentionSweep>();

        // The host's own sweep also runs once at start, and on a busy machine that can be after the inserts above and
        // take some of these rows: the spec asserts what is left (250 old ids, more than a batch of 100, so the sweep
        // loops), not how many rows this call deleted.
        await sweep.SweepOnceAsync(CancellationToken.None);

        Assert.Equal([recentProcessed], await connection.QueryAsync<Guid>("select message_id from processed_messages where consumer = @consumer", new { consumer }));
        var outbox = (await connection.QueryAsync<Guid>("select id from outbox_messages where message_type = 'spec'")).ToHashSet();
        Assert.Equal(new HashSet<Guid> { oldPending, recentPublished, oldDeadLetter }, outbox);
    }

    /// <summary>
    /// A BRIN range's lowest time is only ever lowered by inserts, never raised by deletes or VACUUM: once the sweep has
    /// emptied old pages and new rows fill them, a range that kept its old lowest time would match every later sweep's
    /// cutoff, and each of its batches would read those pages again. The next sweep rebuilds the ranges.
    /// </summary>
    [Fact]
    public async Task When_new_rows_fill_the_pages_old_ones_were_swept_from_Should_find_nothing_expired_at_the_next_sweep_without_reading_them()
    {
        await using var host = await StartHostAsync();

        await AssertNextSweepFindsNothingWithoutReadingAsync(host, sweep => sweep.SweepOnceAsync(CancellationToken.None));
    }

    /// <summary>
    /// A range summarised while a transaction begun before the delete runs in the database still counts the deleted rows,
    /// which that transaction may see: a sweep during it leaves the ranges for a later one, which rebuilds them.
    /// </summary>
    [Fact]
    public async Task When_a_transaction_older_than_the_deletes_runs_through_the_next_sweep_Should_rebuild_their_ranges_at_the_sweep_after_it()
    {
        await using var host = await StartHostAsync();
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        await AssertNextSweepFindsNothingWithoutReadingAsync(host, async sweep =>
        {
            await using var other = await dataSource.OpenConnectionAsync();
            await using var older = await other.BeginTransactionAsync();
            await other.ExecuteAsync("select pg_current_xact_id()", transaction: older);
            await sweep.SweepOnceAsync(CancellationToken.None);
            await sweep.SweepOnceAsync(CancellationToken.None);
            await older.CommitAsync();
        });
    }

    /// <summary>
    /// An index the last sweep deleted from is dropped before the next (a migration, a person): the ranges noted for it
    /// cannot be rebuilt, and the sweep still deletes what is due. Rebuilding failed the whole sweep, at every sweep until
    /// the service was restarted.
    /// </summary>
    [Fact]
    public async Task When_an_index_it_deleted_from_is_dropped_before_the_next_sweep_Should_still_delete_what_is_due()
    {
        await using var host = await StartHostAsync();
        var retention = host.Services.GetRequiredService<RetentionSweep>();
        await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await connection.ExecuteAsync("truncate outbox_messages");
        await InsertPublishedAsync(connection, Old);
        await connection.ExecuteAsync("select brin_summarize_new_values('outbox_messages_created_at_brin')");
        await retention.SweepOnceAsync(CancellationToken.None);

        await connection.ExecuteAsync("drop index outbox_messages_created_at_brin");
        try
        {
            await InsertPublishedAsync(connection, Old);

            // The host's own sweep at start may run at any time here too (a BackgroundService runs on the thread pool), so
            // what is asserted is that this sweep does not fail and nothing due is left, not how many rows it took.
            await retention.SweepOnceAsync(CancellationToken.None);
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>($"select count(*) from outbox_messages where {ExpiredSpecRows}"));
        }
        finally
        {
            // The class's other facts look through it.
            await connection.ExecuteAsync("create index outbox_messages_created_at_brin on outbox_messages using brin (created_at) with (autosummarize = on)");
        }
    }

    // Fills the outbox with expired rows and, after them, rows a day old, lets `sweep` run the sweep, vacuums the table,
    // fills the freed pages with new rows, sweeps once more, and looks for expired rows as the sweep does (nothing expired
    // left): the look must read fewer than a fifth of the pages the expired rows took.
    private static async Task AssertNextSweepFindsNothingWithoutReadingAsync(TestServiceHost host, Func<RetentionSweep, Task> sweep)
    {
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        var outbox = host.Services.GetServices<RetentionTarget>().Single(t => t.Table == "outbox_messages");
        var retention = host.Services.GetRequiredService<RetentionSweep>();
        await using var connection = await dataSource.OpenConnectionAsync();

        // The host's own sweep at start runs on the thread pool and may come at any point below, before or after `sweep`:
        // it does what the spec's sweeps do, on the same RetentionSweep, so nothing below depends on which of them deletes.

        // The spec's inserts would start an autovacuum of the table at a moment of its choosing, which takes the lock
        // the rebuild of a range needs (the rebuild then leaves the range for another sweep), and VACUUM runs below.
        await connection.ExecuteAsync("alter table outbox_messages set (autovacuum_enabled = off)");

        // The class's facts share a database: each of these starts from an empty table, and so from an empty index.
        await connection.ExecuteAsync("truncate outbox_messages");
        await InsertPublishedAsync(connection, Old);

        // The pages the expired rows take, read from the table's size: counted from the rows, a sweep could take them first.
        var sweptPages = await connection.ExecuteScalarAsync<long>(TablePages);

        // Rows a day old after them, as a week of traffic would have: VACUUM cannot cut the swept pages off the table's end.
        await InsertPublishedAsync(connection, TimeSpan.FromDays(1));

        // A week on, autosummarize has long summarised the ranges they filled.
        await connection.ExecuteAsync("select brin_summarize_new_values('outbox_messages_created_at_brin')");
        await sweep(retention);
        await connection.ExecuteAsync("vacuum outbox_messages");
        var pages = await connection.ExecuteScalarAsync<long>(TablePages);
        await InsertPublishedAsync(connection, TimeSpan.Zero);
        await connection.ExecuteAsync("analyze outbox_messages");
        await retention.SweepOnceAsync(CancellationToken.None);

        var plan = JsonNode.Parse(await connection.ExecuteScalarAsync<string>(
            $"explain (analyze, buffers, format json) select ctid from outbox_messages where {outbox.Condition} limit 100",
            new { before = DateTimeOffset.UtcNow - TimeSpan.FromDays(7) }) ?? "null")![0]!["Plan"]!;
        var pagesRead = (long)plan["Shared Hit Blocks"]! + (long)plan["Shared Read Blocks"]!;

        // What else runs in the database, which could have held VACUUM or the rebuild back, for whoever reads a failure.
        var running = string.Join("; ", await connection.QueryAsync<string>(
            """
            select backend_type || ' ' || pid || ': xid ' || coalesce(backend_xid::text, '-') || ', xmin ' || coalesce(backend_xmin::text, '-')
                   || ', ' || coalesce(state, '') || ', ' || coalesce(left(query, 100), '')
            from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
            """));

        Assert.Equal(0, await connection.ExecuteScalarAsync<long>($"select count(*) from outbox_messages where {ExpiredSpecRows}"));
        Assert.True(sweptPages > 3_000, $"the expired rows took {sweptPages} pages, too few to tell");
        Assert.True(await connection.ExecuteScalarAsync<long>(TablePages) < pages + 128, $"the new rows did not go into the pages the old ones were swept from. Running in the database: {running}");
        Assert.True(pagesRead < sweptPages / 5, $"looking for expired rows, none there, read {pagesRead} pages; the swept rows took {sweptPages}. Running in the database: {running}");
    }

    private Task<TestServiceHost> StartHostAsync() => TestServiceHost.StartAsync(
        TestServiceHost.Identity("retention-specs", typeof(RetentionSweep_Specs).Assembly),
        infrastructure,
        settings: Settings,
        services: services => services.AddOutbox(OutboxTestHosts.Messages).AddProcessedMessages());

    // 10,000 published rows of about 1 KB, in time order, ending `age` ago: at half-filled pages, some 3,300 pages.
    private static async Task InsertPublishedAsync(NpgsqlConnection connection, TimeSpan age) => await connection.ExecuteAsync(
        """
        insert into outbox_messages (id, message_type, payload, created_at, published_at)
        select gen_random_uuid(), 'spec-reused', jsonb_build_object('text', repeat('x', 1000)), at, at
        from (select now() - @age - (10000 - g) * interval '1 millisecond' as at from generate_series(1, 10000) g) rows
        """,
        new { age });
}
