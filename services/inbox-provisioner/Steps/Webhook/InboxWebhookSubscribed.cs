using MassTransit;

namespace OrdersMail.InboxProvisioner.Steps.Webhook;

/// <summary>The inbox has a webhook, but the step's read-back found it differing from what was asked for (or could not read it): reconciling comes next.</summary>
/// <param name="OrderId">The order whose saga asked.</param>
/// <param name="WebhookId">AgentMail's webhook id.</param>
/// <param name="Created">Whether this step created it (false: the customer's existing one).</param>
/// <param name="Run">
/// The run of the command this answers (<see cref="Saga.ProvisioningState.Run"/>), so a saga ops started over ignores
/// an answer to its failed run; none from a build before runs, in a rolling upgrade (counted for the saga's current run).
/// </param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:InboxWebhookSubscribed")]
public sealed record InboxWebhookSubscribed(Guid OrderId, string WebhookId, bool Created, int? Run = null);
