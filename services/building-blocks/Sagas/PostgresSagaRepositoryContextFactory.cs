using MassTransit;
using MassTransit.Saga;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Sagas;

/// <summary>
/// Gives each message its own transaction on the service's data source: begin, let MassTransit load, run the
/// behaviour and write through a <see cref="PostgresSagaRepositoryContext{TSaga,TMessage}"/>, then commit. If
/// anything throws, the transaction rolls back and the exception reaches the endpoint's message retry.
/// Instances are found by id only (<c>CorrelateById</c>); queries (<c>CorrelateBy</c>) are not supported.
/// </summary>
internal sealed class PostgresSagaRepositoryContextFactory<TSaga>(
    NpgsqlDataSource dataSource,
    PostgresSagaTable<TSaga> table,
    ISagaConsumeContextFactory<PostgresSagaTransaction<TSaga>, TSaga> factory)
    : ISagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);

        await using var transaction = await PostgresSagaTransaction<TSaga>.BeginAsync(dataSource, table, context.CancellationToken);
        await next.Send(new PostgresSagaRepositoryContext<TSaga, T>(transaction, context, factory));
        await transaction.CommitAsync(context.CancellationToken);
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        throw new NotImplementedByDesignException(
            $"The PostgreSQL saga repository finds {typeof(TSaga).Name} instances by id only: correlate events with CorrelateById.");

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(asyncMethod);
        return asyncMethod(new PostgresLoadSagaRepositoryContext<TSaga>(dataSource, table, cancellationToken));
    }

    public void Probe(ProbeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Add("persistence", "postgres");
        context.Add("table", table.Name);
    }
}
