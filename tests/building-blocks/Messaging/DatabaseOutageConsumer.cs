using MassTransit;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Tests.Messaging;

/// <summary>
/// Fails as a restarting PostgreSQL makes a consumer fail (SQLSTATE 57P03, "the database system is starting up") for the
/// first <see cref="Outage.FailedAttempts"/> attempts, then succeeds; counts every attempt.
/// </summary>
public sealed class DatabaseOutageConsumer(DatabaseOutageConsumer.Outage outage) : IConsumer<Messaging.Outage>
{
    public Task Consume(ConsumeContext<Messaging.Outage> context)
    {
        if (outage.Attempt() <= outage.FailedAttempts)
        {
            throw new PostgresException("the database system is starting up", "FATAL", "FATAL", PostgresErrorCodes.CannotConnectNow);
        }

        outage.Consumed.TrySetResult();
        return Task.CompletedTask;
    }

    /// <summary>How long the outage lasts in attempts, and what the consumer saw, shared with the spec.</summary>
    public sealed class Outage(int failedAttempts)
    {
        private int _attempts;

        public int FailedAttempts { get; } = failedAttempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public TaskCompletionSource Consumed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Attempt() => Interlocked.Increment(ref _attempts);
    }
}
