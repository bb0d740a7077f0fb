namespace OrdersMail.Contracts.Provisioning;

/// <summary>
/// Provisioning the customer's inbox for an order gave up after its bounded attempts. Nothing mis-scoped
/// was left behind; the order's confirmation goes out with the default reply address instead.
/// </summary>
/// <param name="OrderId">The order whose provisioning failed.</param>
/// <param name="OrderRef">That order's human reference.</param>
/// <param name="UserId">The customer the inbox was for.</param>
/// <param name="Reason">Why it failed, in words an operator can act on (never a secret).</param>
/// <param name="FailedAt">When the saga ended in its Failed state.</param>
public sealed record InboxProvisioningFailed(
    Guid OrderId,
    string OrderRef,
    string UserId,
    string Reason,
    DateTimeOffset FailedAt);
