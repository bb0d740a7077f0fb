using MassTransit;

namespace OrdersMail.InboxProvisioner.Steps;

/// <summary>
/// A step could not finish because AgentMail stayed unavailable through the client's own retries (429, 503, timeouts,
/// an open circuit) or answered what cannot be read, or its customer's lease stayed another step's through the wait for it. Nothing it did is undone (every step is idempotent); the saga decides when it is asked again.
/// </summary>
/// <param name="OrderId">The order whose saga asked.</param>
/// <param name="Step">The step, one of <see cref="ProvisioningSteps"/>.</param>
/// <param name="Reason">What AgentMail did, or whose lease was busy, in words ops can read.</param>
/// <param name="Run">
/// The run of the command this answers (<see cref="Saga.ProvisioningState.Run"/>), so a saga ops started over ignores
/// an answer to its failed run; none from a build before runs, in a rolling upgrade (counted for the saga's current run).
/// </param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:ProvisioningStepDeferred")]
public sealed record ProvisioningStepDeferred(Guid OrderId, string Step, string Reason, int? Run = null);
