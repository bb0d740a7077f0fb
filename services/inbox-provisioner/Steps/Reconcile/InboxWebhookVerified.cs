using MassTransit;

namespace OrdersMail.InboxProvisioner.Steps.Reconcile;

/// <summary>
/// What AgentMail stores for the webhook is what was asked for: this inbox alone, every event, our url, enabled. The
/// webhook step answers with it when its own read-back matched (<paramref name="Created"/> set), the reconcile step
/// after a read-back or a repair. The inbox step, which does the webhook's part itself in the common case, says the
/// same on its own answer (<see cref="Inbox.CustomerInboxEnsured.WebhookVerified"/>).
/// </summary>
/// <param name="OrderId">The order whose saga asked.</param>
/// <param name="WebhookId">The verified webhook.</param>
/// <param name="Created">From the webhook step: whether it created the webhook (false: the customer's existing one); null from the reconcile step.</param>
/// <param name="Run">
/// The run of the command this answers (<see cref="Saga.ProvisioningState.Run"/>), so a saga ops started over ignores
/// an answer to its failed run; none from a build before runs, in a rolling upgrade (counted for the saga's current run).
/// </param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:InboxWebhookVerified")]
public sealed record InboxWebhookVerified(Guid OrderId, string WebhookId, bool? Created = null, int? Run = null);
