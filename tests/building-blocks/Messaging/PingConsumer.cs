using System.Diagnostics;
using MassTransit;

namespace OrdersMail.BuildingBlocks.Tests.Messaging;

/// <summary>Records each ping it consumes with the trace it was consumed in.</summary>
public sealed class PingConsumer(PingConsumer.Received received) : IConsumer<Ping>
{
    public Task Consume(ConsumeContext<Ping> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        received.Add(context.Message, Activity.Current?.TraceId);
        return Task.CompletedTask;
    }

    /// <summary>What the consumer saw, shared with the spec.</summary>
    public sealed class Received
    {
        private readonly TaskCompletionSource<(Ping Ping, ActivityTraceId? TraceId)> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<(Ping Ping, ActivityTraceId? TraceId)> First => _first.Task;

        public void Add(Ping ping, ActivityTraceId? traceId) => _first.TrySetResult((ping, traceId));
    }
}
