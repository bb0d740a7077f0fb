using MassTransit;

namespace OrdersMail.InboxProvisioner.Steps.Webhook;

/// <summary>Command: make sure the customer's inbox has its one webhook, scoped to that inbox alone.</summary>
/// <param name="OrderId">The order whose saga asks.</param>
/// <param name="UserId">The customer.</param>
/// <param name="InboxId">The customer's inbox.</param>
/// <param name="OrderRef">The order's reference, for the step's span.</param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:SubscribeInboxWebhook")]
public sealed record SubscribeInboxWebhook(Guid OrderId, string UserId, string InboxId, string? OrderRef = null);
