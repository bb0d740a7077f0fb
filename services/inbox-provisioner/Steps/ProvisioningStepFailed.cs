using MassTransit;

namespace OrdersMail.InboxProvisioner.Steps;

/// <summary>A step failed for good (a definitive AgentMail answer, or drift that could not be repaired).</summary>
/// <param name="OrderId">The order whose saga asked.</param>
/// <param name="Step">The step that failed.</param>
/// <param name="Reason">Why, in words ops can act on.</param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:ProvisioningStepFailed")]
public sealed record ProvisioningStepFailed(Guid OrderId, string Step, string Reason)
{
    /// <summary>The step's customer no longer owns the inbox it was asked about (torn down meanwhile).</summary>
    public static ProvisioningStepFailed InboxNotOwned(Guid orderId, string step, string userId, string inboxId) =>
        new(orderId, step, $"Customer {userId} does not own inbox {inboxId} (any more): it was torn down meanwhile.");
}
