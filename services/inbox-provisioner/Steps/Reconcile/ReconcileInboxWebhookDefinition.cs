using Microsoft.Extensions.Options;

namespace OrdersMail.InboxProvisioner.Steps.Reconcile;

/// <summary>The reconcile step's endpoint.</summary>
public sealed class ReconcileInboxWebhookDefinition(IOptions<ProvisioningOptions> options)
    : StepConsumerDefinition<ReconcileInboxWebhookConsumer>(options, ProvisioningQueues.ReconcileWebhook);
