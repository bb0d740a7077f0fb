using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;

namespace OrdersMail.BuildingBlocks.Sagas;

/// <summary>
/// What MassTransit's saga pipes call for one message, in their order: <c>Load</c> (or <c>Add</c> when there is no
/// instance), then the behaviour, then <c>Update</c>, <c>Delete</c> (completed), <c>Save</c> (new) or <c>Discard</c>.
/// Every write goes into the message's <see cref="PostgresSagaTransaction{TSaga}"/>; nothing is durable until it commits.
/// </summary>
internal sealed class PostgresSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    private readonly PostgresSagaTransaction<TSaga> _transaction;
    private readonly ConsumeContext<TMessage> _context;
    private readonly ISagaConsumeContextFactory<PostgresSagaTransaction<TSaga>, TSaga> _factory;

    public PostgresSagaRepositoryContext(
        PostgresSagaTransaction<TSaga> transaction,
        ConsumeContext<TMessage> context,
        ISagaConsumeContextFactory<PostgresSagaTransaction<TSaga>, TSaga> factory)
        : base(context)
    {
        _transaction = transaction;
        _context = context;
        _factory = factory;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_transaction, _context, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        if (!await _transaction.InsertIfAbsentAsync(instance, CancellationToken))
        {
            return null!;
        }

        return await _factory.CreateSagaConsumeContext(_transaction, _context, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await _transaction.LoadAsync(correlationId, CancellationToken);
        return instance is null
            ? null!
            : await _factory.CreateSagaConsumeContext(_transaction, _context, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _transaction.InsertAsync(context.Saga, CancellationToken);
    }

    public Task Update(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _transaction.UpdateAsync(context.Saga, CancellationToken);
    }

    public Task Delete(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _transaction.DeleteAsync(context.Saga.CorrelationId, CancellationToken);
    }

    /// <summary>A new instance that completed at once, or whose behaviour threw: it was never written, so nothing to do.</summary>
    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    /// <summary>Only read-only policies call it, after a behaviour that wrote nothing: there is nothing to undo.</summary>
    public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_transaction, consumeContext, instance, mode);
}
