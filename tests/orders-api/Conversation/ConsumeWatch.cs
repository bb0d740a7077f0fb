using System.Collections.Concurrent;
using MassTransit;

namespace OrdersMail.OrdersApi.Tests.Conversation;

/// <summary>
/// Counts what the service's bus finished consuming, by envelope message id, so a spec knows a delivery that changed
/// nothing (a duplicate, an unknown order) was handled, rather than guessing with a delay.
/// </summary>
internal sealed class ConsumeWatch : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _consumed = new();
    private readonly ConcurrentQueue<Exception> _faults = new();

    /// <summary>Faults any consumer raised while watched.</summary>
    public IReadOnlyCollection<Exception> Faults => _faults;

    /// <summary>How many times a delivery with this envelope message id was consumed to the end.</summary>
    public int Times(Guid deliveryId) => _consumed.GetValueOrDefault(deliveryId);

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.MessageId is { } id)
        {
            _consumed.AddOrUpdate(id, 1, (_, times) => times + 1);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class
    {
        _faults.Enqueue(exception);
        return Task.CompletedTask;
    }
}
