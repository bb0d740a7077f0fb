using MassTransit;

namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>
/// How the saga asks a step: in the transition that sends the command it marks the step queued
/// (<see cref="ProvisioningState.StepQueuedAt"/>), which the step consumer clears as it takes the command, so the
/// sweeper can tell a command still waiting its turn from a step that ran and did not finish.
/// </summary>
internal static class StepAsks
{
    /// <summary>Marks the step queued and sends <paramref name="command"/> to the step's <paramref name="queue"/>.</summary>
    public static EventActivityBinder<ProvisioningState, TMessage> Ask<TMessage, TCommand>(
        this EventActivityBinder<ProvisioningState, TMessage> binder,
        string queue,
        Func<ProvisioningState, TCommand> command)
        where TMessage : class
        where TCommand : class =>
        binder
            .Then(context => context.Saga.StepAsked())
            .Send(ProvisioningQueues.Address(queue), context => command(context.Saga));
}
