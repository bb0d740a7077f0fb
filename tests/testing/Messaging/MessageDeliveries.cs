using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;

namespace OrdersMail.Testing.Messaging;

/// <summary>
/// Every delivery of <typeparamref name="T"/> a spec's probe consumer got (message id, message, the trace it was
/// consumed in, the body as the broker delivered it), shared between the consumer and the spec.
/// </summary>
public sealed class MessageDeliveries<T>
    where T : class
{
    private readonly ConcurrentQueue<(Guid? MessageId, T Message, ActivityTraceId? TraceId, string Body)> _all = new();

    /// <summary>Records one delivery, in the consumer's trace.</summary>
    public Task Record(ConsumeContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _all.Enqueue((context.MessageId, context.Message, Activity.Current?.TraceId, context.ReceiveContext.Body.GetString()));
        return Task.CompletedTask;
    }

    /// <summary>The traces the deliveries of <paramref name="messageId"/> were consumed in.</summary>
    public IReadOnlyList<ActivityTraceId?> TracesOf(Guid messageId) => [.. _all.Where(d => d.MessageId == messageId).Select(d => d.TraceId)];

    /// <summary>The deliveries that carried <paramref name="messageId"/>.</summary>
    public IReadOnlyList<T> Of(Guid messageId) => [.. _all.Where(d => d.MessageId == messageId).Select(d => d.Message)];

    /// <summary>The bodies (MassTransit's envelope, as JSON) of the deliveries that carried <paramref name="messageId"/>.</summary>
    public IReadOnlyList<string> BodiesOf(Guid messageId) => [.. _all.Where(d => d.MessageId == messageId).Select(d => d.Body)];

    /// <summary>How many deliveries carried each of <paramref name="messageIds"/>.</summary>
    public IReadOnlyDictionary<Guid, int> CountsOf(IReadOnlyCollection<Guid> messageIds)
    {
        var wanted = messageIds.ToHashSet();
        return _all.Where(d => d.MessageId is { } id && wanted.Contains(id)).GroupBy(d => d.MessageId!.Value).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Waits until every one of <paramref name="messageIds"/> has arrived at least once.</summary>
    public Task WaitForAllAsync(IReadOnlyCollection<Guid> messageIds, TimeSpan timeout) =>
        Eventually.Until(
            () => Task.FromResult(CountsOf(messageIds).Count),
            arrived => arrived == messageIds.Count,
            timeout,
            $"{messageIds.Count} {typeof(T).Name} message(s) to arrive");
}
