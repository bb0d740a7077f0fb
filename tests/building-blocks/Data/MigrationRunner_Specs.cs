using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrdersMail.BuildingBlocks.Data.Migrations;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Data;

public sealed class MigrationRunner_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private static readonly IReadOnlyList<Migration> Shipped = Migration.LoadFrom(typeof(MigrationRunner_Specs).Assembly);
    private readonly string _schema = $"spec_{Guid.NewGuid():N}"[..20];

    [Fact]
    public void Should_load_the_embedded_migrations_in_version_order()
    {
        Assert.Equal(["0001_create_widgets", "0002_add_widget_colour", "0003_create_tallies"], Shipped.Select(m => m.Name));
        Assert.Equal([1, 2, 3], Shipped.Select(m => m.Version));
    }

    [Fact]
    public async Task When_several_replicas_start_at_the_same_moment_Should_apply_each_migration_once_without_error()
    {
        var replicas = Enumerable.Range(0, 4).Select(_ => NewDataSource()).ToList();
        try
        {
            var results = await Task.WhenAll(replicas.Select(ds => Runner(ds).MigrateAsync(_schema, Shipped, LockTimeout, CancellationToken.None)));

            Assert.Single(results, r => r.Count == Shipped.Count);
            Assert.Equal(3, results.Count(r => r.Count == 0));
            Assert.Equal([1, 2, 3], await AppliedVersions());
            Assert.Equal("blue", await ScalarAsync<string>($"insert into {_schema}.widgets (id, name) values (gen_random_uuid(), 'w') returning colour"));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task On_a_later_start_Should_apply_only_the_new_migrations()
    {
        await using var dataSource = NewDataSource();

        var first = await Runner(dataSource).MigrateAsync(_schema, Shipped.Take(1).ToList(), LockTimeout, CancellationToken.None);
        var second = await Runner(dataSource).MigrateAsync(_schema, Shipped, LockTimeout, CancellationToken.None);
        var third = await Runner(dataSource).MigrateAsync(_schema, Shipped, LockTimeout, CancellationToken.None);

        Assert.Equal([1], first);
        Assert.Equal([2, 3], second);
        Assert.Empty(third);
        Assert.Equal([1, 2, 3], await AppliedVersions());
    }

    [Fact]
    public async Task When_a_migration_fails_Should_leave_nothing_half_written()
    {
        await using var dataSource = NewDataSource();
        var broken = new Migration(2, "0002_broken", "alter table widgets add column size int; select * from no_such_table;");

        await Assert.ThrowsAsync<PostgresException>(() => Runner(dataSource).MigrateAsync(_schema, [Shipped[0], broken], LockTimeout, CancellationToken.None));

        Assert.Equal(0L, await ScalarAsync<long>("select count(*) from information_schema.schemata where schema_name = @Schema", new { Schema = _schema }));

        var applied = await Runner(dataSource).MigrateAsync(_schema, Shipped, LockTimeout, CancellationToken.None);
        Assert.Equal([1, 2, 3], applied);
    }

    /// <summary>A script that rewrites a large table runs longer than the connection's command timeout: it is given the migration's.</summary>
    [Fact]
    public async Task When_a_script_runs_longer_than_the_connections_command_timeout_Should_apply_it()
    {
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(infrastructure.Database.ConnectionString) { CommandTimeout = 1 }.ConnectionString);
        var slow = new Migration(4, "0004_slow_backfill", "select pg_sleep(2.5);");

        var applied = await Runner(dataSource).MigrateAsync(_schema, [.. Shipped, slow], LockTimeout, CancellationToken.None);

        Assert.Equal([1, 2, 3, 4], applied);
    }

    [Fact]
    public async Task When_an_applied_migration_was_edited_Should_refuse_to_start()
    {
        await using var dataSource = NewDataSource();
        await Runner(dataSource).MigrateAsync(_schema, Shipped, LockTimeout, CancellationToken.None);
        var edited = Shipped[0] with { Sql = Shipped[0].Sql + "\n-- edited" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Runner(dataSource).MigrateAsync(_schema, [edited, Shipped[1]], LockTimeout, CancellationToken.None));

        Assert.Contains("0001_create_widgets", error.Message, StringComparison.Ordinal);
        Assert.Contains("changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    private static MigrationRunner Runner(NpgsqlDataSource dataSource) => new(dataSource, NullLogger<MigrationRunner>.Instance);

    private NpgsqlDataSource NewDataSource() => NpgsqlDataSource.Create(infrastructure.Database.ConnectionString);

    private async Task<List<int>> AppliedVersions()
    {
        await using var connection = await infrastructure.Database.OpenConnectionAsync();
        return [.. await connection.QueryAsync<int>($"select version from {_schema}.schema_migrations order by version")];
    }

    private async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await infrastructure.Database.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }
}
