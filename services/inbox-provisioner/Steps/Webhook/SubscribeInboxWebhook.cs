using MassTransit;

namespace OrdersMail.InboxProvisioner.Steps.Webhook;

/// <summary>Command: make sure the customer's inbox has its one webhook, scoped to that inbox alone.</summary>
/// <param name="OrderId">The order whose saga asks.</param>
/// <param name="UserId">The customer.</param>
/// <param name="InboxId">The customer's inbox.</param>
/// <param name="OrderRef">The order's reference, for the step's span.</param>
/// <param name="Run">
/// The saga's run that asks (<see cref="Saga.ProvisioningState.Run"/>), named back in the answer; none from a build before
/// runs, in a rolling upgrade.
/// </param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:SubscribeInboxWebhook")]
public sealed record SubscribeInboxWebhook(Guid OrderId, string UserId, string InboxId, string? OrderRef = null, int? Run = null);
