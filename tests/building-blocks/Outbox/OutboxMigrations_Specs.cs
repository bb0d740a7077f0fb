using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrdersMail.BuildingBlocks.Data.Migrations;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>The outbox and processed-messages tables, created by the migration runner in the schema of the service that uses them.</summary>
public sealed class OutboxMigrations_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task When_a_service_adds_the_outbox_Should_create_its_tables_in_the_service_schema_and_relay_what_it_writes()
    {
        var deliveries = new MessageDeliveries<Parcel>();
        var service = TestServiceHost.Identity("outbox-host-specs", typeof(OutboxMigrations_Specs).Assembly);
        await using var host = await TestServiceHost.StartAsync(
            service,
            infrastructure,
            bus => bus.AddConsumer<ParcelProbe>(),
            services: services =>
            {
                services.AddSingleton(deliveries);
                services.AddOutbox(OutboxTestHosts.Messages);
                services.AddProcessedMessages();
            });

        await using (var connection = await infrastructure.Database.OpenConnectionAsync())
        {
            Assert.Equal(
                Migration.LoadFrom(service.ComponentsAssembly).Select(m => m.Name),
                await connection.QueryAsync<string>($"select name from {service.Schema}.schema_migrations order by version"));
            Assert.Equal(["0001_outbox_messages", "0002_outbox_claims", "0003_outbox_fillfactor", "0004_outbox_created_at_brin"], await connection.QueryAsync<string>($"select name from {service.Schema}.schema_migrations_outbox order by version"));

            // Room on each page for a row's claimed and stamped versions (0003).
            Assert.Equal(
                ["fillfactor=50"],
                await connection.QuerySingleAsync<string[]>("select reloptions from pg_class where oid = to_regclass(@Table)", new { Table = $"{service.Schema}.outbox_messages" }));
            Assert.Equal(["0001_processed_messages", "0002_processed_at_brin"], await connection.QueryAsync<string>($"select name from {service.Schema}.schema_migrations_inbox order by version"));

            // The retention sweep's times, indexed by range (0004, 0002), so it reads only the oldest pages.
            Assert.Equal(
                ["outbox_messages_created_at_brin", "processed_messages_processed_at_brin"],
                await connection.QueryAsync<string>(
                    "select indexname from pg_indexes where schemaname = @Schema and indexdef like '%USING brin%' order by 1",
                    new { service.Schema }));
            Assert.Equal(
                ["outbox_messages", "processed_messages"],
                await connection.QueryAsync<string>(
                    "select table_name from information_schema.tables where table_schema = @Schema and table_name in ('outbox_messages', 'processed_messages') order by 1",
                    new { service.Schema }));
        }

        var id = await WriteAsync(host, new Parcel(Guid.NewGuid(), "through the host's relay", DateTimeOffset.UtcNow));

        await deliveries.WaitForAllAsync([id], Timeout);

        // The relay commits its stamp once the broker has confirmed, which may be after the probe has the message.
        await Eventually.Until(
            async () =>
            {
                await using var connection = await infrastructure.Database.OpenConnectionAsync();
                return await connection.ExecuteScalarAsync<DateTime?>($"select published_at from {service.Schema}.outbox_messages where id = @id", new { id });
            },
            publishedAt => publishedAt is not null,
            Timeout,
            "the relay to stamp the row");
    }

    [Fact]
    public async Task On_a_schema_that_had_the_tables_before_they_moved_Should_keep_its_rows_and_add_only_what_is_new()
    {
        const string schema = "legacy_outbox";
        var (pending, processed) = (Guid.NewGuid(), Guid.NewGuid());
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(infrastructure.Database.ConnectionString) { SearchPath = schema }.ConnectionString);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            // As orders-api's own migrations 0001 and 0003 left them in deployed databases.
            await connection.ExecuteAsync(
                $$"""
                create schema {{schema}};
                create table outbox_messages (
                    id uuid primary key, message_type text not null, payload jsonb not null, created_at timestamptz not null default now(),
                    published_at timestamptz, attempts int not null default 0, last_error text);
                create index outbox_pending on outbox_messages (created_at) where published_at is null;
                alter table outbox_messages add column trace_parent text;
                create table processed_messages (
                    consumer text not null, message_id uuid not null, processed_at timestamptz not null default now(), primary key (consumer, message_id));
                insert into outbox_messages (id, message_type, payload, attempts, last_error) values (@pending, 'spec', '{}', 2, 'broker down');
                insert into processed_messages (consumer, message_id) values ('spec', @processed);
                """,
                new { pending, processed });
        }

        var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);
        MigrationSource[] sources = [MigrationSource.Service([]), OutboxExtensions.Migrations, ProcessedMessagesExtensions.Migrations];

        var applied = await runner.MigrateAsync(schema, sources, Timeout, CancellationToken.None);
        var again = await runner.MigrateAsync(schema, sources, Timeout, CancellationToken.None);

        Assert.Equal(
            [("schema_migrations_outbox", 1), ("schema_migrations_outbox", 2), ("schema_migrations_outbox", 3), ("schema_migrations_outbox", 4), ("schema_migrations_inbox", 1), ("schema_migrations_inbox", 2)],
            applied);
        Assert.Empty(again);
        await using var check = await dataSource.OpenConnectionAsync();
        var row = await check.QuerySingleAsync<(int Attempts, string? LastError, DateTime? DeadLetteredAt, DateTime? ClaimedUntil)>(
            "select attempts, last_error, dead_lettered_at, claimed_until from outbox_messages where id = @pending", new { pending });
        Assert.Equal(2, row.Attempts);
        Assert.Equal("broker down", row.LastError);
        Assert.Null(row.DeadLetteredAt);
        Assert.Null(row.ClaimedUntil);
        Assert.Equal(1, await check.ExecuteScalarAsync<int>("select count(*) from processed_messages where message_id = @processed", new { processed }));
        Assert.Contains(
            "dead_lettered_at IS NULL",
            await check.ExecuteScalarAsync<string>("select indexdef from pg_indexes where schemaname = @schema and indexname = 'outbox_pending'", new { schema }),
            StringComparison.Ordinal);
    }

    private static async Task<Guid> WriteAsync(TestServiceHost host, Parcel parcel)
    {
        var writer = host.Services.GetRequiredService<OutboxWriter>();
        await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await writer.AddAsync(transaction, parcel, CancellationToken.None);
        await transaction.CommitAsync();
        writer.Notify();
        return id;
    }
}
