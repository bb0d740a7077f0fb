using MassTransit;
using OrdersMail.Contracts.Provisioning;

namespace OrdersMail.InboxProvisioner.Steps;

/// <summary>A step failed for good (a definitive AgentMail answer, or drift that could not be repaired).</summary>
/// <param name="OrderId">The order whose saga asked.</param>
/// <param name="Step">The step that failed.</param>
/// <param name="Reason">Why, in words ops can act on.</param>
/// <param name="Run">
/// The run of the command this answers (<see cref="Saga.ProvisioningState.Run"/>), so a saga ops started over ignores
/// an answer to its failed run; none from a build before runs, in a rolling upgrade (counted for the saga's current run).
/// </param>
/// <param name="Kind">
/// The kind of failure (<see cref="ProvisioningFailureKinds"/>), passed on in <see cref="InboxProvisioningFailed.Kind"/>;
/// none from a step consumer before kinds, in a rolling upgrade.
/// </param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:ProvisioningStepFailed")]
public sealed record ProvisioningStepFailed(Guid OrderId, string Step, string Reason, int? Run = null, string? Kind = null)
{
    /// <summary>The step's customer no longer owns the inbox it was asked about (torn down meanwhile).</summary>
    public static ProvisioningStepFailed InboxNotOwned(Guid orderId, string step, string userId, string inboxId, int? run) =>
        new(orderId, step, $"Customer {userId} does not own inbox {inboxId} (any more): it was torn down meanwhile.", run, ProvisioningFailureKinds.InboxRemoved);
}
