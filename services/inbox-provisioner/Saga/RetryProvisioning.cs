using MassTransit;

namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>Ops ask a Failed saga to start over from its first step (after fixing what made it fail).</summary>
/// <param name="OrderId">The failed saga.</param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:RetryProvisioning")]
public sealed record RetryProvisioning(Guid OrderId);
