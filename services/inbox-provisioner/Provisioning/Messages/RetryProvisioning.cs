namespace OrdersMail.InboxProvisioner.Provisioning.Messages;

/// <summary>Ops ask a Failed saga to start over from its first step (after fixing what made it fail).</summary>
/// <param name="OrderId">The failed saga.</param>
public sealed record RetryProvisioning(Guid OrderId);
