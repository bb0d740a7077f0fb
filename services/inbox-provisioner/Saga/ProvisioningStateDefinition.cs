using MassTransit;
using Microsoft.Extensions.Options;

namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>
/// The saga's endpoint: a queue named after the service, and an in-memory outbox, so the commands and events a
/// transition produces leave only once the saga's row is committed (a retried transition sends nothing twice).
/// Each message it handles holds a connection for its short transaction; past the pool's size (16 messages against 8
/// connections by default) the others wait in the pool's queue for one, at most <c>Postgres:ConnectionTimeout</c>.
/// </summary>
public sealed class ProvisioningStateDefinition : SagaDefinition<ProvisioningState>
{
    /// <summary>Names the queue and caps the concurrency.</summary>
    public ProvisioningStateDefinition(IOptions<ProvisioningOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var concurrency = options.Value.SagaConcurrency;
        Endpoint(e =>
        {
            e.Name = ProvisioningQueues.Saga;
            e.PrefetchCount = concurrency;
            e.ConcurrentMessageLimit = concurrency;
        });
    }

    /// <inheritdoc />
    protected override void ConfigureSaga(
        IReceiveEndpointConfigurator endpointConfigurator,
        ISagaConfigurator<ProvisioningState> sagaConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
