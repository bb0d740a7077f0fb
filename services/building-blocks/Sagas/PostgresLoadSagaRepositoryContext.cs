using Dapper;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Saga;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Sagas;

/// <summary>Reads an instance by id for code outside the saga (<see cref="ILoadSagaRepository{TSaga}"/>): a plain read, no lock.</summary>
internal sealed class PostgresLoadSagaRepositoryContext<TSaga>(
    NpgsqlDataSource dataSource,
    PostgresSagaTable<TSaga> table,
    CancellationToken cancellationToken)
    : BasePipeContext(cancellationToken), LoadSagaRepositoryContext<TSaga>
    where TSaga : class, ISaga
{
    public async Task<TSaga> Load(Guid correlationId)
    {
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken);
        var data = await connection.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition(table.Select, new { CorrelationId = correlationId }, cancellationToken: CancellationToken));
        return data is null ? null! : PostgresSagaTable<TSaga>.Read(data);
    }
}
