using Microsoft.Extensions.Options;

namespace OrdersMail.InboxProvisioner.Steps.Webhook;

/// <summary>The webhook step's endpoint.</summary>
public sealed class SubscribeInboxWebhookDefinition(IOptions<ProvisioningOptions> options)
    : StepConsumerDefinition<SubscribeInboxWebhookConsumer>(options, ProvisioningQueues.SubscribeWebhook);
