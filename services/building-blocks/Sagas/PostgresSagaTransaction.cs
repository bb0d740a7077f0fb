using Dapper;
using MassTransit;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Sagas;

/// <summary>
/// The database side of one message's turn at a saga: a connection and a transaction that last from before the
/// instance is loaded until after it is written. Loading locks the row (<c>for update</c>), so messages for the
/// same instance take turns and none of them writes over another's update. Disposing it without
/// <see cref="CommitAsync"/> rolls everything back, which is what happens when the behaviour throws.
/// </summary>
internal sealed class PostgresSagaTransaction<TSaga> : IAsyncDisposable
    where TSaga : class, ISaga
{
    private const string UniqueViolation = "23505";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly PostgresSagaTable<TSaga> _table;

    private PostgresSagaTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresSagaTable<TSaga> table)
    {
        _connection = connection;
        _transaction = transaction;
        _table = table;
    }

    /// <summary>Opens a connection from <paramref name="dataSource"/> and begins a read-committed transaction on it.</summary>
    public static async Task<PostgresSagaTransaction<TSaga>> BeginAsync(NpgsqlDataSource dataSource, PostgresSagaTable<TSaga> table, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new PostgresSagaTransaction<TSaga>(connection, transaction, table);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The instance, its row locked until the transaction ends; null when there is none.</summary>
    public async Task<TSaga?> LoadAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        var data = await _connection.QuerySingleOrDefaultAsync<string>(Command(_table.SelectForUpdate, new { CorrelationId = correlationId }, cancellationToken));
        return data is null ? null : PostgresSagaTable<TSaga>.Read(data);
    }

    /// <summary>Inserts a new instance's row unless its id exists; true when it did.</summary>
    public async Task<bool> InsertIfAbsentAsync(TSaga instance, CancellationToken cancellationToken) =>
        await _connection.ExecuteAsync(Command(_table.InsertIfAbsent, _table.Row(instance), cancellationToken)) == 1;

    /// <summary>Inserts a new instance's row.</summary>
    /// <exception cref="ConcurrencyException">
    /// Another transaction inserted the same id first (SQLSTATE 23505). Retrying the message is the fix: the
    /// next attempt loads that row and applies the message to it.
    /// </exception>
    public async Task InsertAsync(TSaga instance, CancellationToken cancellationToken)
    {
        try
        {
            await _connection.ExecuteAsync(Command(_table.Insert, _table.Row(instance), cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            throw new ConcurrencyException(
                $"Another message created {typeof(TSaga).Name} {instance.CorrelationId} in {_table.Name} first; retry to apply this one to it.",
                typeof(TSaga),
                instance.CorrelationId,
                e);
        }
    }

    /// <summary>Rewrites a loaded instance's row, one version up.</summary>
    /// <exception cref="SagaException">The row is not there (it was loaded under lock, so this is a bug, not a race).</exception>
    public async Task UpdateAsync(TSaga instance, CancellationToken cancellationToken)
    {
        var updated = await _connection.ExecuteAsync(Command(_table.Update, _table.Row(instance), cancellationToken));
        if (updated != 1)
        {
            throw new SagaException($"{typeof(TSaga).Name} {instance.CorrelationId} has no row in {_table.Name} to update.", typeof(TSaga), instance.CorrelationId);
        }
    }

    /// <summary>Removes a completed instance's row.</summary>
    public Task DeleteAsync(Guid correlationId, CancellationToken cancellationToken) =>
        _connection.ExecuteAsync(Command(_table.Delete, new { CorrelationId = correlationId }, cancellationToken));

    /// <summary>Makes the message's changes durable and releases the row lock.</summary>
    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private CommandDefinition Command(string sql, object parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, _transaction, cancellationToken: cancellationToken);
}
