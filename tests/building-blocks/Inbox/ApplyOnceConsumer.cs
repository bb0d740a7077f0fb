using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Tests.Outbox;

namespace OrdersMail.BuildingBlocks.Tests.Inbox;

/// <summary>Applies each parcel through <see cref="ProcessedMessages.ApplyOnceAsync"/>, counting deliveries and applications.</summary>
public sealed class ApplyOnceConsumer(NpgsqlDataSource dataSource, ApplyOnceConsumer.Seen seen, ILogger<ApplyOnceConsumer> logger) : IConsumer<Parcel>
{
    /// <summary>The consumer's name in <c>processed_messages</c>.</summary>
    public const string Name = "apply-once-spec";

    public Task Consume(ConsumeContext<Parcel> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        seen.Delivered(context.Message.Id);
        return ProcessedMessages.ApplyOnceAsync(dataSource, context, Name, logger, (_, _) =>
        {
            if (seen.FailOnce.TryRemove(context.Message.Id, out _))
            {
                throw new InvalidOperationException("the change failed; its record must roll back with it");
            }

            seen.Applied(context.Message.Id);
            return Task.CompletedTask;
        });
    }

    /// <summary>What the consumer saw, shared with the spec.</summary>
    public sealed class Seen
    {
        private readonly ConcurrentDictionary<Guid, int> _deliveries = new();
        private readonly ConcurrentDictionary<Guid, int> _applications = new();

        /// <summary>Parcels whose first application throws.</summary>
        public ConcurrentDictionary<Guid, bool> FailOnce { get; } = new();

        public int DeliveriesOf(Guid id) => _deliveries.GetValueOrDefault(id);

        public int ApplicationsOf(Guid id) => _applications.GetValueOrDefault(id);

        public void Delivered(Guid id) => _deliveries.AddOrUpdate(id, 1, (_, n) => n + 1);

        public void Applied(Guid id) => _applications.AddOrUpdate(id, 1, (_, n) => n + 1);
    }
}
