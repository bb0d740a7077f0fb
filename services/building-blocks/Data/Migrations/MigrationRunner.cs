using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Data.Migrations;

/// <summary>
/// Brings a service's schema up to date: creates the schema and its <c>schema_migrations</c> journal, then
/// applies the migrations the journal does not list, in order. Everything happens in one transaction under a
/// transaction-scoped advisory lock keyed by the schema, so two replicas starting at the same moment take
/// turns (the second finds nothing left to do) and a failing script leaves no trace, journal row included.
/// </summary>
public sealed partial class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    /// <summary>
    /// Applies what is pending and returns the versions it applied (empty when the schema was up to date).
    /// </summary>
    /// <param name="schema">The service's schema: lower-case letters, digits and underscores.</param>
    /// <param name="migrations">All of the service's migrations, applied or not, in version order.</param>
    /// <param name="lockTimeout">How long to wait for another replica's migration to finish.</param>
    /// <param name="cancellationToken">Stops the wait and rolls back.</param>
    /// <exception cref="InvalidOperationException">An applied migration's script was changed afterwards.</exception>
    public async Task<IReadOnlyList<int>> MigrateAsync(string schema, IReadOnlyList<Migration> migrations, TimeSpan lockTimeout, CancellationToken cancellationToken)
    {
        if (!SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"Schema '{schema}' must be lower-case letters, digits and underscores.", nameof(schema));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await connection.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_xact_lock(hashtextextended(@key, 0))",
            new { key = $"ordersmail:migrations:{schema}" },
            transaction,
            commandTimeout: (int)Math.Ceiling(lockTimeout.TotalSeconds),
            cancellationToken: cancellationToken));

        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            create schema if not exists {schema};
            create table if not exists {schema}.schema_migrations (
                version    integer     primary key,
                name       text        not null,
                checksum   text        not null,
                applied_at timestamptz not null default now()
            );
            set local search_path to {schema};
            """,
            transaction: transaction,
            cancellationToken: cancellationToken));

        var applied = (await connection.QueryAsync<AppliedMigration>(new CommandDefinition(
            "select version, name, checksum from schema_migrations", transaction: transaction, cancellationToken: cancellationToken)))
            .ToDictionary(m => m.Version);

        var pending = new List<int>();
        foreach (var migration in migrations)
        {
            if (applied.TryGetValue(migration.Version, out var done))
            {
                if (done.Checksum != migration.Checksum)
                {
                    throw new InvalidOperationException(
                        $"Migration {migration.Name} of schema '{schema}' was changed after it was applied (as {done.Name}). " +
                        "Applied migrations are never edited: add a new migration instead.");
                }

                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "insert into schema_migrations (version, name, checksum) values (@Version, @Name, @Checksum)",
                migration,
                transaction,
                cancellationToken: cancellationToken));
            pending.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken);

        if (pending.Count > 0)
        {
            LogApplied(logger, schema, pending.Count, pending);
        }
        else
        {
            LogUpToDate(logger, schema, migrations.Count);
        }

        return pending;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema {Schema}: applied {Count} migration(s): {Versions}")]
    private static partial void LogApplied(ILogger logger, string schema, int count, IReadOnlyList<int> versions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema {Schema} is up to date ({Count} migration(s))")]
    private static partial void LogUpToDate(ILogger logger, string schema, int count);

    private sealed record AppliedMigration(int Version, string Name, string Checksum);
}
