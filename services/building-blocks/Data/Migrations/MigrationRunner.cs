using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Data.Migrations;

/// <summary>
/// Brings a service's schema up to date: creates the schema and a journal per migration source, then applies
/// the migrations each journal does not list, source by source, in order. Everything happens in one transaction
/// under a transaction-scoped advisory lock keyed by the schema, so two replicas starting at the same moment take
/// turns (the second finds nothing left to do) and a failing script leaves no trace, journal rows included.
/// </summary>
public sealed partial class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    /// <summary>
    /// Applies what is pending of the service's own migrations and returns the versions it applied (empty when the schema was up to date).
    /// </summary>
    /// <param name="schema">The service's schema: lower-case letters, digits and underscores.</param>
    /// <param name="migrations">All of the service's migrations, applied or not, in version order.</param>
    /// <param name="lockTimeout">How long to wait for another replica's migration to finish.</param>
    /// <param name="cancellationToken">Stops the wait and rolls back.</param>
    /// <exception cref="InvalidOperationException">An applied migration's script was changed afterwards.</exception>
    public async Task<IReadOnlyList<int>> MigrateAsync(string schema, IReadOnlyList<Migration> migrations, TimeSpan lockTimeout, CancellationToken cancellationToken) =>
        [.. (await MigrateAsync(schema, [MigrationSource.Service(migrations)], lockTimeout, cancellationToken)).Select(a => a.Version)];

    /// <summary>
    /// Applies what is pending of each source, in the order given, and returns what it applied (journal and version).
    /// </summary>
    /// <param name="schema">The service's schema: lower-case letters, digits and underscores.</param>
    /// <param name="sources">The service's own migrations and those of the building blocks it uses.</param>
    /// <param name="lockTimeout">
    /// How long to wait for another replica's migration to finish, and the longest one script may run: a script that
    /// rewrites a large table (a backfill, an index) takes longer than the connection's command timeout (30 s by default),
    /// which would fail it at every start.
    /// </param>
    /// <param name="cancellationToken">Stops the wait and rolls back.</param>
    /// <exception cref="InvalidOperationException">An applied migration's script was changed afterwards.</exception>
    public async Task<IReadOnlyList<(string Journal, int Version)>> MigrateAsync(
        string schema, IReadOnlyList<MigrationSource> sources, TimeSpan lockTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (!Identifier().IsMatch(schema))
        {
            throw new ArgumentException($"Schema '{schema}' must be lower-case letters, digits and underscores.", nameof(schema));
        }

        if (sources.FirstOrDefault(s => !Identifier().IsMatch(s.Journal)) is { } bad)
        {
            throw new ArgumentException($"Journal '{bad.Journal}' must be lower-case letters, digits and underscores.", nameof(sources));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var timeoutSeconds = (int)Math.Ceiling(lockTimeout.TotalSeconds);
        await connection.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_xact_lock(hashtextextended(@key, 0))",
            new { key = $"ordersmail:migrations:{schema}" },
            transaction,
            commandTimeout: timeoutSeconds,
            cancellationToken: cancellationToken));

        await connection.ExecuteAsync(new CommandDefinition(
            $"create schema if not exists {schema}; set local search_path to {schema};", transaction: transaction, cancellationToken: cancellationToken));

        var applied = new List<(string Journal, int Version)>();
        foreach (var source in sources)
        {
            var versions = await MigrateSourceAsync(transaction, schema, source, timeoutSeconds, cancellationToken);
            applied.AddRange(versions.Select(v => (source.Journal, v)));
            if (versions.Count > 0)
            {
                LogApplied(logger, schema, source.Journal, versions.Count, versions);
            }
            else
            {
                LogUpToDate(logger, schema, source.Journal, source.Migrations.Count);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    private static async Task<IReadOnlyList<int>> MigrateSourceAsync(
        NpgsqlTransaction transaction, string schema, MigrationSource source, int scriptTimeoutSeconds, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            create table if not exists {schema}.{source.Journal} (
                version    integer     primary key,
                name       text        not null,
                checksum   text        not null,
                applied_at timestamptz not null default now()
            );
            """,
            transaction: transaction,
            cancellationToken: cancellationToken));

        var applied = (await connection.QueryAsync<AppliedMigration>(new CommandDefinition(
            $"select version, name, checksum from {source.Journal}", transaction: transaction, cancellationToken: cancellationToken)))
            .ToDictionary(m => m.Version);

        var pending = new List<int>();
        foreach (var migration in source.Migrations)
        {
            if (applied.TryGetValue(migration.Version, out var done))
            {
                if (done.Checksum != migration.Checksum)
                {
                    throw new InvalidOperationException(
                        $"Migration {migration.Name} of schema '{schema}' ({source.Journal}) was changed after it was applied (as {done.Name}). " +
                        "Applied migrations are never edited: add a new migration instead.");
                }

                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, commandTimeout: scriptTimeoutSeconds, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                $"insert into {source.Journal} (version, name, checksum) values (@Version, @Name, @Checksum)",
                migration,
                transaction,
                cancellationToken: cancellationToken));
            pending.Add(migration.Version);
        }

        return pending;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema {Schema} ({Journal}): applied {Count} migration(s): {Versions}")]
    private static partial void LogApplied(ILogger logger, string schema, string journal, int count, IReadOnlyList<int> versions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema {Schema} ({Journal}) is up to date ({Count} migration(s))")]
    private static partial void LogUpToDate(ILogger logger, string schema, string journal, int count);

    private sealed record AppliedMigration(int Version, string Name, string Checksum);
}
