using MassTransit;

namespace OrdersMail.BuildingBlocks.Tests.Messaging;

/// <summary>Throws on every attempt, counting them.</summary>
public sealed class AlwaysFailsConsumer(AlwaysFailsConsumer.Attempts attempts) : IConsumer<Boom>
{
    public Task Consume(ConsumeContext<Boom> context)
    {
        attempts.Increment();
        throw new InvalidOperationException("This consumer always fails.");
    }

    /// <summary>How many times the consumer ran, shared with the spec.</summary>
    public sealed class Attempts
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }
}
