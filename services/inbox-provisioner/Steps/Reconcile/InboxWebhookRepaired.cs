using MassTransit;

namespace OrdersMail.InboxProvisioner.Steps.Reconcile;

/// <summary>The read-back differed and was repaired; the repair must itself be read back.</summary>
/// <param name="OrderId">The order whose saga asked.</param>
/// <param name="WebhookId">The webhook now in place (a new id when it was deleted and created again).</param>
/// <param name="Findings">What differed, in words ops can act on.</param>
/// <param name="SecurityEvent">True when the stored webhook was org-wide (every tenant's mail to one endpoint).</param>
/// <param name="Attempt">
/// The read-back this answers (<see cref="ReconcileInboxWebhook.Attempt"/>), so the saga counts each attempt once; null
/// from a build before it, in a rolling upgrade.
/// </param>
/// <param name="Run">
/// The run of the command this answers (<see cref="Saga.ProvisioningState.Run"/>), so a saga ops started over ignores
/// an answer to its failed run; none from a build before runs, in a rolling upgrade (counted for the saga's current run).
/// </param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:InboxWebhookRepaired")]
public sealed record InboxWebhookRepaired(Guid OrderId, string WebhookId, IReadOnlyList<string> Findings, bool SecurityEvent, int? Attempt = null, int? Run = null);
