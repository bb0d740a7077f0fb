using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Steps;

namespace OrdersMail.InboxProvisioner.Operations;

/// <summary>An order's provisioning saga as ops read it.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="OrderRef">Its reference.</param>
/// <param name="UserId">Its customer.</param>
/// <param name="State">One of <see cref="ProvisioningStates"/>.</param>
/// <param name="InboxId">The customer's inbox, once known.</param>
/// <param name="InboxAddress">The inbox's address.</param>
/// <param name="WebhookId">The inbox's webhook, once known.</param>
/// <param name="ReconcileAttempts">Read-backs of the webhook.</param>
/// <param name="Resumes">Times the current step was asked again.</param>
/// <param name="RetryAt">When a step AgentMail was unavailable for is asked again; null when none waits.</param>
/// <param name="StepQueuedAt">When the current step's command was sent, while no step consumer has taken it (waiting in its queue); null once one has.</param>
/// <param name="FailureReason">Why it failed, when it did.</param>
/// <param name="StartedAt">When it began.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="UpdatedAt">When it last moved.</param>
/// <param name="Steps">Each step's latest outcome, by <see cref="ProvisioningSteps.Reported"/> name.</param>
/// <param name="History">Every step's outcome, oldest first.</param>
public sealed record ProvisioningView(
    Guid OrderId,
    string OrderRef,
    string UserId,
    string State,
    string? InboxId,
    string? InboxAddress,
    string? WebhookId,
    int ReconcileAttempts,
    int Resumes,
    DateTimeOffset? RetryAt,
    DateTimeOffset? StepQueuedAt,
    string? FailureReason,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, string> Steps,
    IReadOnlyList<ProvisioningStep> History)
{
    /// <summary>The view of a saga row.</summary>
    public static ProvisioningView Of(ProvisioningState saga, DateTimeOffset updatedAt)
    {
        ArgumentNullException.ThrowIfNull(saga);
        var steps = ProvisioningSteps.Reported
            .Select(name => (name, last: saga.History.LastOrDefault(h => h.Step == name)))
            .Where(s => s.last is not null)
            .ToDictionary(s => s.name, s => s.last!.Outcome);
        return new ProvisioningView(
            saga.CorrelationId, saga.OrderRef, saga.UserId, saga.CurrentState, saga.InboxId, saga.InboxAddress, saga.WebhookId,
            saga.ReconcileAttempts, saga.Resumes, saga.RetryAt, saga.StepQueuedAt, saga.FailureReason, saga.StartedAt, saga.FinishedAt, updatedAt, steps, saga.History);
    }
}
