using MassTransit;

namespace OrdersMail.InboxProvisioner.Steps.Inbox;

/// <summary>Command: make sure the order's customer has their inbox, stamped with their newest order.</summary>
/// <param name="OrderId">The order whose saga asks.</param>
/// <param name="OrderRef">The order's reference.</param>
/// <param name="UserId">The customer.</param>
/// <param name="CustomerEmail">The customer's address, from which a readable username is derived.</param>
/// <param name="PlacedAt">When the order was placed: the newest order's reference wins the inbox's metadata.</param>
/// <param name="Run">
/// The saga's run that asks (<see cref="Saga.ProvisioningState.Run"/>), named back in the answer; none from a build before
/// runs, in a rolling upgrade.
/// </param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:EnsureCustomerInbox")]
public sealed record EnsureCustomerInbox(Guid OrderId, string OrderRef, string UserId, string CustomerEmail, DateTimeOffset PlacedAt, int? Run = null);
