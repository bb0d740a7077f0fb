using MassTransit;

namespace OrdersMail.InboxProvisioner.Steps.Reconcile;

/// <summary>What AgentMail stores for the webhook is what was asked for: this inbox alone, every event, our url, enabled.</summary>
/// <param name="OrderId">The order whose saga asked.</param>
/// <param name="WebhookId">The verified webhook.</param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:InboxWebhookVerified")]
public sealed record InboxWebhookVerified(Guid OrderId, string WebhookId);
