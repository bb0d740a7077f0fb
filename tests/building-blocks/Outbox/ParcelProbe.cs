using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using OrdersMail.Testing;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>A consumer of <see cref="Parcel"/> on the test's vhost, as another service would be, recording each delivery.</summary>
public sealed class ParcelProbe(ParcelProbe.Deliveries deliveries) : IConsumer<Parcel>
{
    public Task Consume(ConsumeContext<Parcel> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        deliveries.Add(context.MessageId, context.Message, Activity.Current?.TraceId);
        return Task.CompletedTask;
    }

    /// <summary>Every delivery the probe got, shared with the spec.</summary>
    public sealed class Deliveries
    {
        private readonly ConcurrentQueue<(Guid? MessageId, Parcel Message, ActivityTraceId? TraceId)> _all = new();

        public void Add(Guid? messageId, Parcel message, ActivityTraceId? traceId) => _all.Enqueue((messageId, message, traceId));

        /// <summary>The traces the deliveries of <paramref name="messageId"/> were consumed in.</summary>
        public IReadOnlyList<ActivityTraceId?> TracesOf(Guid messageId) => [.. _all.Where(d => d.MessageId == messageId).Select(d => d.TraceId)];

        /// <summary>The deliveries that carried <paramref name="messageId"/>.</summary>
        public IReadOnlyList<Parcel> Of(Guid messageId) => [.. _all.Where(d => d.MessageId == messageId).Select(d => d.Message)];

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
                $"{messageIds.Count} Parcel message(s) to arrive");
    }
}
