using MassTransit;

namespace OrdersMail.InboxProvisioner.Steps.Inbox;

/// <summary>The customer has their inbox, and its metadata names their newest order.</summary>
/// <param name="OrderId">The order whose saga asked.</param>
/// <param name="InboxId">AgentMail's inbox id (its address).</param>
/// <param name="InboxAddress">The inbox's email address.</param>
/// <param name="Created">Whether this step created the inbox (false: it existed and was re-stamped).</param>
/// <param name="StampedOrderRef">The order reference the inbox's metadata now holds (the customer's newest).</param>
/// <param name="WebhookId">The inbox's webhook, when the step also made sure of it; null leaves the webhook to the webhook step.</param>
/// <param name="WebhookCreated">Whether the step created that webhook (false: the customer's existing one).</param>
/// <param name="WebhookVerified">Whether the step's read-back found it stored as asked for; false leaves it to the reconcile step.</param>
/// <param name="Run">
/// The run of the command this answers (<see cref="Saga.ProvisioningState.Run"/>), so a saga ops started over ignores
/// an answer to its failed run; none from a build before runs, in a rolling upgrade (counted for the saga's current run).
/// </param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:CustomerInboxEnsured")]
public sealed record CustomerInboxEnsured(
    Guid OrderId,
    string InboxId,
    string InboxAddress,
    bool Created,
    string StampedOrderRef,
    string? WebhookId = null,
    bool WebhookCreated = false,
    bool WebhookVerified = false,
    int? Run = null);
