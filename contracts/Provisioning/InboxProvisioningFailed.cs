namespace OrdersMail.Contracts.Provisioning;

/// <summary>
/// Provisioning the customer's inbox for an order gave up after its bounded attempts. Nothing mis-scoped
/// was left behind; the order's confirmation goes out with the default reply address instead.
/// </summary>
/// <param name="OrderId">The order whose provisioning failed.</param>
/// <param name="OrderRef">That order's human reference.</param>
/// <param name="UserId">The customer the inbox was for.</param>
/// <param name="Reason">
/// Why it failed, in words an operator can act on (never a secret), for ops alone: it may name another customer's inbox
/// the webhook was scoped to, a webhook's id and URL, AgentMail's own error. Never shown to the customer.
/// </param>
/// <param name="FailedAt">When the saga ended in its Failed state.</param>
/// <param name="Kind">
/// The kind of failure (<see cref="ProvisioningFailureKinds"/>), what the customer is told is worded from; none from a
/// provisioner before kinds, in a rolling upgrade, which the customer is told as a failure of no known kind.
/// </param>
public sealed record InboxProvisioningFailed(
    Guid OrderId,
    string OrderRef,
    string UserId,
    string Reason,
    DateTimeOffset FailedAt,
    string? Kind = null);
