using MassTransit;

namespace OrdersMail.InboxProvisioner.Provisioning;

/// <summary>
/// The saga's endpoint: a queue named after the service, and an in-memory outbox, so the commands and events a
/// transition produces leave only once the saga's row is committed (a retried transition sends nothing twice).
/// </summary>
public sealed class ProvisioningStateDefinition : SagaDefinition<ProvisioningState>
{
    /// <summary>Names the queue.</summary>
    public ProvisioningStateDefinition() => Endpoint(e => e.Name = ProvisioningQueues.Saga);

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
