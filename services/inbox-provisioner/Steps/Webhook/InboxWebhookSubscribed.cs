using MassTransit;

namespace OrdersMail.InboxProvisioner.Steps.Webhook;

/// <summary>The inbox has a webhook, but the step's read-back found it differing from what was asked for (or could not read it): reconciling comes next.</summary>
/// <param name="OrderId">The order whose saga asked.</param>
/// <param name="WebhookId">AgentMail's webhook id.</param>
/// <param name="Created">Whether this step created it (false: the customer's existing one).</param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:InboxWebhookSubscribed")]
public sealed record InboxWebhookSubscribed(Guid OrderId, string WebhookId, bool Created);
