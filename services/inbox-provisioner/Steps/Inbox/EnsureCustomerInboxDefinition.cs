using Microsoft.Extensions.Options;

namespace OrdersMail.InboxProvisioner.Steps.Inbox;

/// <summary>The inbox step's endpoint.</summary>
public sealed class EnsureCustomerInboxDefinition(IOptions<ProvisioningOptions> options)
    : StepConsumerDefinition<EnsureCustomerInboxConsumer>(options, ProvisioningQueues.EnsureInbox);
