using MassTransit;

namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>A deferred step's retry is due (<see cref="DeferredStepDispatcher"/>): ask the step again.</summary>
/// <param name="OrderId">The saga.</param>
/// <param name="Deferral">Which deferral this retry answers; one the saga has moved past is ignored.</param>
[MessageUrn("OrdersMail.InboxProvisioner.Provisioning.Messages:RetryDeferredStep")]
public sealed record RetryDeferredStep(Guid OrderId, int Deferral);
