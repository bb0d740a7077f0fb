using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;

namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>
/// One order's provisioning saga, a row in <c>provisioning.provisioning_sagas</c> keyed by the order id. It stays
/// after it ends (Ready or Failed) so ops can always see what happened to an order's inbox.
/// </summary>
public sealed class ProvisioningState : SagaStateMachineInstance
{
    /// <summary>The order id.</summary>
    public Guid CorrelationId { get; set; }

    /// <summary>The state's name, one of <see cref="ProvisioningStates"/>.</summary>
    public string CurrentState { get; set; } = string.Empty;

    /// <summary>The order's reference.</summary>
    public string OrderRef { get; set; } = string.Empty;

    /// <summary>The customer.</summary>
    public string UserId { get; set; } = string.Empty;

    /// <summary>The customer's address.</summary>
    public string CustomerEmail { get; set; } = string.Empty;

    /// <summary>When the order was placed.</summary>
    public DateTimeOffset PlacedAt { get; set; }

    /// <summary>The customer's inbox, once known.</summary>
    public string? InboxId { get; set; }

    /// <summary>The inbox's address, once known.</summary>
    public string? InboxAddress { get; set; }

    /// <summary>The inbox's webhook, once subscribed.</summary>
    public string? WebhookId { get; set; }

    /// <summary>
    /// The saga's run: 0 for its first, one more each time ops start it over (<see cref="RetryProvisioning"/>). Every
    /// step command carries it and every answer names it back, so an answer to a command of a run ops have since started
    /// over (a failed run's final read-back, a step asked before the failure) is known as stale and changes nothing.
    /// </summary>
    public int Run { get; set; }

    /// <summary>Read-backs of the webhook so far.</summary>
    public int ReconcileAttempts { get; set; }

    /// <summary>Times the current step was asked again because it took too long.</summary>
    public int Resumes { get; set; }

    /// <summary>Times the current step was found AgentMail unavailable and deferred (see <see cref="ProvisioningOptions.StepRetries"/>).</summary>
    public int Deferrals { get; set; }

    /// <summary>When the deferred step is to be asked again; null when no retry is waiting (the row's <c>due_at</c>).</summary>
    public DateTimeOffset? RetryAt { get; set; }

    /// <summary><see cref="StepQueuedAt"/>'s name in the row's <c>data</c>, for the statements that read or clear it.</summary>
    public const string StepQueuedAtField = "stepQueuedAt";

    /// <summary>
    /// When the saga sent its current step's command, while no step consumer has taken it yet (waiting in its queue, or
    /// lost on the way); null once one has (<see cref="Steps.StepsTaken"/> clears it in the row) and when the saga ends.
    /// </summary>
    public DateTimeOffset? StepQueuedAt { get; set; }

    /// <summary><see cref="TraceParent"/>'s name in the row's <c>data</c>, for the statements that read it.</summary>
    public const string TraceParentField = "traceParent";

    /// <summary>
    /// The order's trace, as the W3C <c>traceparent</c> of the span that took its <see cref="Contracts.Orders.OrderCreated"/>:
    /// the stuck-saga sweep and the deferred-step dispatch publish from a poll, outside any trace, and continue this one
    /// so the order's later work is not a trace of its own. Null for a saga an older build started, or one started
    /// outside any trace.
    /// </summary>
    public string? TraceParent { get; set; }

    /// <summary>Why it failed, when it did.</summary>
    public string? FailureReason { get; set; }

    /// <summary>
    /// The kind of failure (<see cref="Contracts.Provisioning.ProvisioningFailureKinds"/>), when it failed: what the customer
    /// is told is worded from it, never from <see cref="FailureReason"/>. None for a saga failed before kinds, or by a step
    /// consumer before them.
    /// </summary>
    public string? FailureKind { get; set; }

    /// <summary>When the saga began.</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When it ended (Ready or Failed).</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Every step's outcome, oldest first.</summary>
    public List<ProvisioningStep> History { get; init; } = [];

    /// <summary>
    /// Fields a newer build recorded that this one does not know, written back as they were: in a rolling upgrade a
    /// replica of this build may move on a saga a newer one started.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? FieldsOfOtherVersions { get; set; }

    /// <summary>A new step (or a new read-back) begins: the last one's resumes and deferrals no longer count.</summary>
    public void StepStarted()
    {
        Resumes = 0;
        Deferrals = 0;
        RetryAt = null;
    }

    /// <summary>The step's command is sent: it waits in its queue until a step consumer takes it.</summary>
    public void StepAsked() => StepQueuedAt = DateTimeOffset.UtcNow;

    /// <summary>
    /// The saga ends (Ready or Failed): nothing waits to be retried or taken any more, and a failed saga's final read-back
    /// starts with retries of its own.
    /// </summary>
    public void Finished()
    {
        FinishedAt = DateTimeOffset.UtcNow;
        Deferrals = 0;
        RetryAt = null;
        StepQueuedAt = null;
    }

    /// <summary>Adds a line to the history.</summary>
    public void Record(string step, string outcome, string? detail = null) =>
        History.Add(new ProvisioningStep(DateTimeOffset.UtcNow, step, outcome, detail));
}
