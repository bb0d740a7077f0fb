using MassTransit;
using Microsoft.Extensions.Options;

namespace OrdersMail.InboxProvisioner.Steps;

/// <summary>
/// A step consumer's endpoint: its queue, and at most <see cref="ProvisioningOptions.StepConcurrency"/> commands at
/// once (prefetch included), so a backlog of sagas puts no more AgentMail calls and customer leases in flight, however
/// many commands the broker holds. A step holds a pooled connection only for each short statement; with more steps
/// than the pool has connections (16 against 8 by default), the others wait in the pool's queue for one.
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
