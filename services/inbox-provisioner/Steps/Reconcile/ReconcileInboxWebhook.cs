using MassTransit;

namespace OrdersMail.InboxProvisioner.Steps.Reconcile;

/// <summary>
/// Command: read the webhook back from AgentMail and compare what is stored with what was asked for; repair
/// drift, or on the last attempt delete what is wrong.
/// </summary>
/// <param name="OrderId">The order whose saga asks.</param>
/// <param name="UserId">The customer.</param>
/// <param name="InboxId">The inbox the webhook must be scoped to, alone.</param>
/// <param name="WebhookId">The webhook the saga knows of, if any (the customer's current one is the one read back).</param>
/// <param name="OrderRef">The order's reference, for the step's span.</param>
/// <param name="Attempt">1 for the first read-back; the last allowed attempt deletes instead of repairing.</param>
/// <param name="Run">
/// The saga's run that asks (<see cref="Saga.ProvisioningState.Run"/>), named back in the answer; none from a build before
/// runs, in a rolling upgrade.
/// </param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:ReconcileInboxWebhook")]
public sealed record ReconcileInboxWebhook(Guid OrderId, string UserId, string InboxId, string? WebhookId, int Attempt, string? OrderRef = null, int? Run = null);
