using MassTransit;
using Microsoft.Extensions.Options;

namespace OrdersMail.InboxProvisioner.Steps;

/// <summary>
/// A step consumer's endpoint: its queue, and at most <see cref="ProvisioningOptions.StepConcurrency"/> commands at
/// once (prefetch included), so a backlog of sagas cannot take more connections than the pool has, however many
/// commands the broker holds.
/// </summary>
public abstract class StepConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    /// <summary>Names the queue and caps the concurrency.</summary>
    protected StepConsumerDefinition(IOptions<ProvisioningOptions> options, string queue)
    {
        ArgumentNullException.ThrowIfNull(options);
        var concurrency = options.Value.StepConcurrency;
        Endpoint(e =>
        {
            e.Name = queue;
            e.PrefetchCount = concurrency;
            e.ConcurrentMessageLimit = concurrency;
        });
    }
}
