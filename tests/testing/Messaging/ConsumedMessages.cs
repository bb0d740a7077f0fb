using System.Collections.Concurrent;
using MassTransit;

namespace OrdersMail.Testing.Messaging;

/// <summary>
/// Counts what one of the service's queues finished consuming, by message id, so a spec knows that a delivery
/// which changed nothing (a duplicate, an unknown order) was handled, instead of guessing with a delay.
/// </summary>
public sealed class ConsumedMessages(string queue) : IConsumeObserver
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<Guid, int> _consumed = new();
    private readonly ConcurrentQueue<Exception> _faults = new();

    /// <summary>What the queue's consumers threw.</summary>
    public IReadOnlyCollection<Exception> Faults => _faults;

    /// <summary>Waits until <paramref name="times"/> deliveries of <paramref name="messageId"/> have been consumed (or a consumer failed).</summary>
    public Task WaitForAsync(Guid messageId, int times = 1) =>
        Eventually.Until(
            () => Task.FromResult(_consumed.GetValueOrDefault(messageId)),
            seen => seen >= times || !_faults.IsEmpty,
            Timeout,
            $"message {messageId} to be consumed {times} times on {queue}");

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (IsMine(context) && context.MessageId is { } id)
        {
            _consumed.AddOrUpdate(id, 1, (_, times) => times + 1);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class
    {
        if (IsMine(context))
        {
            _faults.Enqueue(exception);
        }

        return Task.CompletedTask;
    }

    private bool IsMine(ConsumeContext context) =>
        context.ReceiveContext.InputAddress.AbsolutePath.EndsWith($"/{queue}", StringComparison.Ordinal);
}
