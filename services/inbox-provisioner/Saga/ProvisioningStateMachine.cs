using MassTransit;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Orders;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboxProvisioner.Steps;
using OrdersMail.InboxProvisioner.Steps.Inbox;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.InboxProvisioner.Steps.Webhook;

namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>
/// One saga per order: the customer's inbox (created once, stamped with their newest order), its webhook scoped
/// to that inbox alone, then read back until AgentMail provably stores what was asked for. Every AgentMail call
/// is made by a step consumer the saga sends a command to, never inside the saga's own transaction.
/// </summary>
public sealed class ProvisioningStateMachine : MassTransitStateMachine<ProvisioningState>
{
    /// <summary>Builds the machine with the service's limits.</summary>
    public ProvisioningStateMachine(IOptions<ProvisioningOptions> options, ILogger<ProvisioningStateMachine> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value;

        InstanceState(s => s.CurrentState);
        Event(() => OrderCreated, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => InboxEnsured, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => WebhookSubscribed, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => WebhookVerified, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => WebhookRepaired, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => StepFailed, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => StepDeferred, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => RetryDue, e =>
        {
            e.CorrelateById(m => m.Message.OrderId);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => Retry, e =>
        {
            e.CorrelateById(m => m.Message.OrderId);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => Resume, e =>
        {
            e.CorrelateById(m => m.Message.OrderId);
            e.OnMissingInstance(m => m.Discard());
        });

        // A message the saga has no use for in its state changes nothing: a step's answer reaching a finished saga,
        // or one leading somewhere the saga did not go, or one of a run ops have since started over (ThisRun). A
        // message delivered again after its own transition is not one of these: it sends again what that transition
        // sent (below).
        OnUnhandledEvent(context => context.Ignore());

        Initially(
            When(OrderCreated)
                .Then(context => Start(context.Saga, context.Message))
                .Ask(ProvisioningQueues.EnsureInbox, EnsureInbox)
                .TransitionTo(CreatingInbox));

        During(
            CreatingInbox,
            // The common case: the inbox step also made sure of the webhook and read it back as asked for.
            When(InboxEnsured, context => ThisRun(context.Saga, context.Message.Run) && context.Message is { WebhookId: not null, WebhookVerified: true })
                .Then(context => InboxAndWebhookVerified(context.Saga, context.Message))
                .Publish(context => InboxReadyFor(context.Saga))
                .TransitionTo(Ready),
            When(InboxEnsured, context => ThisRun(context.Saga, context.Message.Run) && context.Message is { WebhookId: not null, WebhookVerified: false })
                .Then(context => InboxAndWebhookKnown(context.Saga, context.Message))
                .Ask(ProvisioningQueues.ReconcileWebhook, Reconcile)
                .TransitionTo(ReconcilingWebhook),
            When(InboxEnsured, context => ThisRun(context.Saga, context.Message.Run) && context.Message.WebhookId is null)
                .Then(context => InboxKnown(context.Saga, context.Message))
                .Ask(ProvisioningQueues.SubscribeWebhook, SubscribeWebhook)
                .TransitionTo(SubscribingWebhook),
            ResumedAgain(ProvisioningQueues.EnsureInbox, EnsureInbox),
            ResumeOrFail(ProvisioningSteps.Inbox, ProvisioningQueues.EnsureInbox, EnsureInbox, limits),
            DeferOrLeave(ProvisioningSteps.Inbox, limits, logger),
            FailOrLeave(ProvisioningSteps.Inbox),
            RetriedAgain(ProvisioningQueues.EnsureInbox, EnsureInbox),
            RetryDeferred(ProvisioningSteps.Inbox, ProvisioningQueues.EnsureInbox, EnsureInbox, limits));

        During(
            SubscribingWebhook,
            When(WebhookSubscribed, context => ThisRun(context.Saga, context.Message.Run))
                .Then(context => WebhookKnown(context.Saga, context.Message))
                .Ask(ProvisioningQueues.ReconcileWebhook, Reconcile)
                .TransitionTo(ReconcilingWebhook),

            // The webhook step read its webhook back and found it right: no separate read-back.
            When(WebhookVerified, context => ThisRun(context.Saga, context.Message.Run))
                .Then(context => SubscribedAndVerified(context.Saga, context.Message))
                .Publish(context => InboxReadyFor(context.Saga))
                .TransitionTo(Ready),
            ResumedAgain(ProvisioningQueues.SubscribeWebhook, SubscribeWebhook),
            ResumeOrFail(ProvisioningSteps.Webhook, ProvisioningQueues.SubscribeWebhook, SubscribeWebhook, limits),
            DeferOrLeave(ProvisioningSteps.Webhook, limits, logger),
            FailOrLeave(ProvisioningSteps.Webhook),
            RetriedAgain(ProvisioningQueues.SubscribeWebhook, SubscribeWebhook),
            RetryDeferred(ProvisioningSteps.Webhook, ProvisioningQueues.SubscribeWebhook, SubscribeWebhook, limits));

        During(
            ReconcilingWebhook,
            When(WebhookVerified, context => ThisRun(context.Saga, context.Message.Run))
                .Then(context => Verified(context.Saga, context.Message))
                .Publish(context => InboxReadyFor(context.Saga))
                .TransitionTo(Ready),
            RepairedAgain(),
            When(WebhookRepaired, context => AnswersThisAttempt(context.Saga, context.Message))
                .Then(context => Repaired(context.Saga, context.Message))
                .Ask(ProvisioningQueues.ReconcileWebhook, Reconcile),
            ResumedAgain(ProvisioningQueues.ReconcileWebhook, Reconcile),
            ResumeOrFail(ProvisioningSteps.Reconcile, ProvisioningQueues.ReconcileWebhook, Reconcile, limits),
            DeferOrLeave(ProvisioningSteps.Reconcile, limits, logger),
            FailOrLeave(ProvisioningSteps.Reconcile),
            RetriedAgain(ProvisioningQueues.ReconcileWebhook, Reconcile),
            RetryDeferred(ProvisioningSteps.Reconcile, ProvisioningQueues.ReconcileWebhook, Reconcile, limits));

        // A message delivered again after its transition committed sends again what that transition sent. The in-memory
        // outbox sends only once the saga's row has committed, and a broker that goes away between the two loses the
        // sends while the message itself is retried or redelivered, to find the saga already moved on: ignored, the
        // saga would wait for the sweeper (StepTimeout), and the order's confirmation would leave without its inbox
        // (chaos, 2026-12-03: one order of 582 across a broker restart, its EnsureCustomerInbox lost as the broker
        // stopped). Only a delivery again of the same message (DeliveredAgain) does so: another copy (a republish)
        // came after a first delivery that sent its own. Asking a step twice is safe (every step is idempotent), and so
        // is announcing an outcome twice (every consumer of InboxReady and InboxProvisioningFailed applies it once per order).
        During(
            CreatingInbox,
            When(OrderCreated, context => DeliveredAgain(context))
                .Ask(ProvisioningQueues.EnsureInbox, EnsureInbox),
            When(Retry, context => DeliveredAgain(context))
                .Ask(ProvisioningQueues.EnsureInbox, EnsureInbox));

        During(
            SubscribingWebhook,
            When(InboxEnsured, context => ThisRun(context.Saga, context.Message.Run) && context.Message.WebhookId is null && DeliveredAgain(context))
                .Ask(ProvisioningQueues.SubscribeWebhook, SubscribeWebhook));

        During(
            ReconcilingWebhook,
            When(InboxEnsured, context => ThisRun(context.Saga, context.Message.Run) && context.Message is { WebhookId: not null, WebhookVerified: false } && DeliveredAgain(context))
                .Ask(ProvisioningQueues.ReconcileWebhook, Reconcile),
            When(WebhookSubscribed, context => ThisRun(context.Saga, context.Message.Run) && DeliveredAgain(context))
                .Ask(ProvisioningQueues.ReconcileWebhook, Reconcile));

        During(
            Ready,
            When(WebhookVerified, context => ThisRun(context.Saga, context.Message.Run))
                .Publish(context => InboxReadyFor(context.Saga)),
            When(InboxEnsured, context => ThisRun(context.Saga, context.Message.Run) && context.Message is { WebhookId: not null, WebhookVerified: true })
                .Publish(context => InboxReadyFor(context.Saga)));

        // The sweeper's resume that failed the saga sent the last read-back too, which deletes a mis-scoped webhook. A resume
        // delivered again to a saga its step failed instead asks for one read-back more: it deletes only what is wrong.
        During(
            Failed,
            When(StepFailed, context => ThisRun(context.Saga, context.Message.Run) && DeliveredAgain(context))
                .Publish(context => FailedFor(context.Saga)),
            When(Resume, context => DeliveredAgain(context))
                .If(
                    context => context.Saga.InboxId is not null,
                    cleanup => cleanup.Send(ProvisioningQueues.Address(ProvisioningQueues.ReconcileWebhook), context => FinalReconcile(context.Saga, limits)))
                .Publish(context => FailedFor(context.Saga)));

        // The failure's final read-back found AgentMail unavailable, or the customer's lease busy: it is retried like a
        // deferred step, StepRetries times, so the mis-scoped webhook it deletes does not wait for the webhook watch.
        During(
            Failed,
            FinalReadBackRetriedAgain(limits),
            When(StepDeferred, context => context.Message.Step == ProvisioningSteps.Reconcile && ThisRun(context.Saga, context.Message.Run) && context.Saga.InboxId is not null)
                .Then(context => StepRetrySchedule.DeferFinalReadBack(context.Saga, context.Message, limits, logger)),
            When(RetryDue, context => context.Saga.RetryAt is not null && context.Message.Deferral == context.Saga.Deferrals)
                .Then(context => StepRetrySchedule.Retried(context.Saga, ProvisioningSteps.Reconcile, limits))
                .Send(ProvisioningQueues.Address(ProvisioningQueues.ReconcileWebhook), context => FinalReconcile(context.Saga, limits)));

        During(
            Failed,
            When(Retry)
                .Then(context => Retried(context.Saga))
                .Ask(ProvisioningQueues.EnsureInbox, EnsureInbox)
                .TransitionTo(CreatingInbox));
    }

    /// <summary>Waiting for the customer's inbox.</summary>
    public State CreatingInbox { get; private set; } = null!;

    /// <summary>Waiting for the inbox's webhook.</summary>
    public State SubscribingWebhook { get; private set; } = null!;

    /// <summary>Reading the webhook back, repairing it if AgentMail stored something else.</summary>
    public State ReconcilingWebhook { get; private set; } = null!;

    /// <summary>Done: InboxReady was published.</summary>
    public State Ready { get; private set; } = null!;

    /// <summary>Done: InboxProvisioningFailed was published, with the reason.</summary>
    public State Failed { get; private set; } = null!;

    /// <summary>An order was placed.</summary>
    public Event<OrderCreated> OrderCreated { get; private set; } = null!;

    /// <summary>The inbox step's answer, with the inbox's verified webhook in the common case.</summary>
    public Event<CustomerInboxEnsured> InboxEnsured { get; private set; } = null!;

    /// <summary>The webhook step's answer.</summary>
    public Event<InboxWebhookSubscribed> WebhookSubscribed { get; private set; } = null!;

    /// <summary>A read-back matched: the webhook step's own, or the reconcile step's.</summary>
    public Event<InboxWebhookVerified> WebhookVerified { get; private set; } = null!;

    /// <summary>The read-back differed and was repaired.</summary>
    public Event<InboxWebhookRepaired> WebhookRepaired { get; private set; } = null!;

    /// <summary>A step failed for good.</summary>
    public Event<ProvisioningStepFailed> StepFailed { get; private set; } = null!;

    /// <summary>A step found AgentMail unavailable through the client's retries.</summary>
    public Event<ProvisioningStepDeferred> StepDeferred { get; private set; } = null!;

    /// <summary>A deferred step's retry is due.</summary>
    public Event<RetryDeferredStep> RetryDue { get; private set; } = null!;

    /// <summary>Ops asked a failed saga to start over.</summary>
    public Event<RetryProvisioning> Retry { get; private set; } = null!;

    /// <summary>The sweeper found the saga stuck.</summary>
    public Event<ResumeProvisioning> Resume { get; private set; } = null!;

    // A stuck step is asked again (its consumer is idempotent) until it has been asked MaxResumes times; then the saga
    // fails, and once the inbox exists its last step is a final read-back of the webhook, which deletes what is wrong
    // (a failed saga leaves no mis-scoped webhook behind; its answer finds the saga Failed and changes nothing). Stuck is
    // no progress for StepTimeout once a consumer took the command, or for StepQueueTimeout while none has (StuckSagaSweeper
    // says why). A resume naming a count the saga has moved past is one it has counted already (ResumedAgain).
    private EventActivityBinder<ProvisioningState, ResumeProvisioning> ResumeOrFail<TCommand>(
        string step,
        string queue,
        Func<ProvisioningState, TCommand> command,
        ProvisioningOptions limits)
        where TCommand : class =>
        When(Resume, context => context.Message.Resumes is not { } counted || counted == context.Saga.Resumes).IfElse(
            context => context.Saga.Resumes < limits.MaxResumes,
            resume => resume
                .Then(context => Resumed(context.Saga, step))
                .Ask(queue, command),
            fail => fail
                .Then(context => TimedOut(context.Saga, step, limits))
                .If(
                    context => context.Saga.InboxId is not null,
                    cleanup => cleanup.Send(ProvisioningQueues.Address(ProvisioningQueues.ReconcileWebhook), context => FinalReconcile(context.Saga, limits)))
                .Publish(context => FailedFor(context.Saga))
                .TransitionTo(Failed));

    // The resume the saga counted last, delivered again (its send lost with the broker): the step asked again, the resume
    // not counted twice, which would bring the saga's failure nearer, or fail it at once on its last resume. Bound before
    // ResumeOrFail, which counts the resume: after it, a resume whose first attempt never committed would find itself
    // counted already and ask the step twice.
    private EventActivityBinder<ProvisioningState, ResumeProvisioning> ResumedAgain<TCommand>(string queue, Func<ProvisioningState, TCommand> command)
        where TCommand : class =>
        When(Resume, context => context.Message.Resumes == context.Saga.Resumes - 1 && DeliveredAgain(context))
            .Ask(queue, command);

    // The repair the saga counted last, delivered again (its next read-back lost with the broker): that read-back asked
    // again, the attempt counted once. Bound before the repair's own When (AnswersThisAttempt), which counts the attempt:
    // after it, a repair whose first delivery never committed (a replica killed, a transaction retried) would find its
    // attempt counted already and ask for the next read-back twice: two read-backs and, while it still differs, two repairs.
    private EventActivityBinder<ProvisioningState, InboxWebhookRepaired> RepairedAgain() =>
        When(WebhookRepaired, context => ThisRun(context.Saga, context.Message.Run) && context.Message.Attempt == context.Saga.ReconcileAttempts - 1 && DeliveredAgain(context))
            .Ask(ProvisioningQueues.ReconcileWebhook, Reconcile);

    // AgentMail stayed unavailable through the client's retries: the step's retry is scheduled in the saga's row
    // (RetryAt, the row's due_at, which DeferredStepDispatcher watches), StepRetries times with growing waits; after
    // that the sweeper asks the step again a StepTimeout after the last deferral, as it does for any stuck step. A
    // deferral of a step the saga has left (a resumed step answering twice) changes nothing.
    private EventActivityBinder<ProvisioningState, ProvisioningStepDeferred> DeferOrLeave(string step, ProvisioningOptions limits, ILogger logger) =>
        When(StepDeferred, context => context.Message.Step == step && ThisRun(context.Saga, context.Message.Run))
            .Then(context => StepRetrySchedule.Defer(context.Saga, context.Message, limits, logger));

    // A step that failed for good fails the saga. A failure of a step the saga has left (a resumed step's second answer,
    // after its first moved the saga on) or of a run ops have since started over (the failed run's final read-back,
    // finding the webhook still wrong after the retry was asked) is stale: it would fail the saga ops just retried, and
    // the retry's own answer would then find it Failed and be ignored, its inbox and webhook made and never announced.
    private EventActivityBinder<ProvisioningState, ProvisioningStepFailed> FailOrLeave(string step) =>
        When(StepFailed, context => context.Message.Step == step && ThisRun(context.Saga, context.Message.Run))
            .Then(context => StepFailedFor(context.Saga, context.Message))
            .Publish(context => FailedFor(context.Saga))
            .TransitionTo(Failed);

    // The retry the saga took last, delivered again (its send lost with the broker; the dispatcher cleared the row's due_at
    // as it claimed the retry, so nothing else asks the step before StepQueueTimeout): the step asked again, the retry not
    // recorded twice. Bound before RetryDeferred, which clears RetryAt: after it, a retry of a first attempt that never
    // committed would find RetryAt cleared and ask twice.
    private EventActivityBinder<ProvisioningState, RetryDeferredStep> RetriedAgain<TCommand>(string queue, Func<ProvisioningState, TCommand> command)
        where TCommand : class =>
        When(RetryDue, context => context.Saga.RetryAt is null && context.Message.Deferral == context.Saga.Deferrals && DeliveredAgain(context))
            .Ask(queue, command);

    // The final read-back's retry delivered again, as RetriedAgain for a step.
    private EventActivityBinder<ProvisioningState, RetryDeferredStep> FinalReadBackRetriedAgain(ProvisioningOptions limits) =>
        When(RetryDue, context => context.Saga.RetryAt is null && context.Message.Deferral == context.Saga.Deferrals && DeliveredAgain(context))
            .Send(ProvisioningQueues.Address(ProvisioningQueues.ReconcileWebhook), context => FinalReconcile(context.Saga, limits));

    // Only the retry of the deferral the saga is waiting on: one the saga moved past (a newer deferral, a resume by the
    // sweeper, a step that answered meanwhile) is stale and changes nothing.
    private EventActivityBinder<ProvisioningState, RetryDeferredStep> RetryDeferred<TCommand>(
        string step,
        string queue,
        Func<ProvisioningState, TCommand> command,
        ProvisioningOptions limits)
        where TCommand : class =>
        When(RetryDue, context => context.Saga.RetryAt is not null && context.Message.Deferral == context.Saga.Deferrals)
            .Then(context => StepRetrySchedule.Retried(context.Saga, step, limits))
            .Ask(queue, command);

    // The same message once more: a retry of this delivery (its first attempt's sends may have died with the broker),
    // the broker's redelivery of a message it never saw acknowledged, or MassTransit's redelivery of it.
    private static bool DeliveredAgain(ConsumeContext context) =>
        context.GetRetryAttempt() > 0 || context.ReceiveContext.Redelivered || context.GetRedeliveryCount() > 0;

    // A repair moves the saga to the next read-back once: the same repair delivered again, or a resumed read-back's
    // second answer, names an attempt already counted. An answer of a build that names none counts, as it did before.
    private static bool AnswersThisAttempt(ProvisioningState saga, InboxWebhookRepaired repaired) =>
        ThisRun(saga, repaired.Run) && (repaired.Attempt is not { } attempt || attempt == saga.ReconcileAttempts);

    // An answer names the run whose command it answers: one of a run ops have since started over is stale. An answer
    // naming none comes from a build before runs (a rolling upgrade, its consumer answering this saga's command): it
    // counts for the run the saga is on, as every answer did before, or a retried saga would wait on it for the sweeper.
    private static bool ThisRun(ProvisioningState saga, int? run) => run is null || run == saga.Run;

    private static void Start(ProvisioningState saga, OrderCreated order)
    {
        saga.OrderRef = order.OrderRef;
        saga.UserId = order.UserId;
        saga.CustomerEmail = order.CustomerEmail;
        saga.PlacedAt = order.PlacedAt;
        saga.StartedAt = DateTimeOffset.UtcNow;
        saga.TraceParent = TraceParents.Current();
        saga.Record(ProvisioningSteps.Order, "started", order.OrderRef);
    }

    private static void InboxKnown(ProvisioningState saga, CustomerInboxEnsured ensured)
    {
        saga.InboxId = ensured.InboxId;
        saga.InboxAddress = ensured.InboxAddress;
        saga.StepStarted();
        saga.Record(ProvisioningSteps.Inbox, ensured.Created ? "created" : "existing", $"{ensured.InboxId}, order_ref {ensured.StampedOrderRef}");
    }

    private static void InboxAndWebhookVerified(ProvisioningState saga, CustomerInboxEnsured ensured)
    {
        InboxKnown(saga, ensured);
        SubscribedAndVerified(saga, new InboxWebhookVerified(ensured.OrderId, ensured.WebhookId!, ensured.WebhookCreated));
    }

    private static void InboxAndWebhookKnown(ProvisioningState saga, CustomerInboxEnsured ensured)
    {
        InboxKnown(saga, ensured);
        WebhookKnown(saga, new InboxWebhookSubscribed(ensured.OrderId, ensured.WebhookId!, ensured.WebhookCreated));
    }

    private static void WebhookKnown(ProvisioningState saga, InboxWebhookSubscribed subscribed)
    {
        saga.WebhookId = subscribed.WebhookId;
        saga.StepStarted();
        saga.ReconcileAttempts = 1;
        saga.Record(ProvisioningSteps.Webhook, subscribed.Created ? "created" : "existing", subscribed.WebhookId);
    }

    private static void SubscribedAndVerified(ProvisioningState saga, InboxWebhookVerified verified)
    {
        WebhookKnown(saga, new InboxWebhookSubscribed(verified.OrderId, verified.WebhookId, verified.Created ?? false));
        Verified(saga, verified);
    }

    private static void Repaired(ProvisioningState saga, InboxWebhookRepaired repaired)
    {
        if (repaired.SecurityEvent)
        {
            saga.Record(ProvisioningSteps.Security, "org-wide-webhook-deleted", string.Join("; ", repaired.Findings));
        }

        saga.Record(ProvisioningSteps.Reconcile, "repaired", $"{repaired.WebhookId}: {string.Join("; ", repaired.Findings)}");
        saga.WebhookId = repaired.WebhookId;
        saga.StepStarted();
        saga.ReconcileAttempts++;
    }

    private static void Verified(ProvisioningState saga, InboxWebhookVerified verified)
    {
        saga.WebhookId = verified.WebhookId;
        saga.Finished();
        saga.Record(ProvisioningSteps.Reconcile, "verified", verified.WebhookId);
    }

    // The step is asked now: a retry still waiting would ask it twice. Its deferrals still count: once they are used up,
    // the step is left to the sweeper. The history says whether the command asked before was ever taken.
    private static void Resumed(ProvisioningState saga, string step)
    {
        saga.Resumes++;
        saga.RetryAt = null;
        saga.Record(ProvisioningSteps.Resume, "asked-again", $"{step} (resume {saga.Resumes}{Untaken(saga)})");
    }

    private static void Retried(ProvisioningState saga)
    {
        saga.Record(ProvisioningSteps.Retry, "asked-by-ops", saga.FailureReason);
        saga.Run++;
        saga.FailureReason = null;
        saga.FailureKind = null;
        saga.FinishedAt = null;
        saga.StepStarted();
        saga.ReconcileAttempts = 0;
    }

    private static void TimedOut(ProvisioningState saga, string step, ProvisioningOptions limits)
    {
        saga.FailureReason = saga.StepQueuedAt is null
            ? $"The {step} step did not finish after being asked {limits.MaxResumes + 1} times, {limits.StepTimeout} apart."
            : $"The {step} step did not finish after being asked {limits.MaxResumes + 1} times{Untaken(saga)} in {limits.StepQueueTimeout}.";
        saga.FailureReason += LastDeferral(saga);
        saga.FailureKind = ProvisioningFailureKinds.TimedOut;
        saga.Finished();
        saga.Record(step, "failed", saga.FailureReason);
    }

    // A command still queued when the sweeper found the saga stuck waited StepQueueTimeout for a consumer: a backlog
    // longer than that, or a command lost before any consumer saw it.
    private static string Untaken(ProvisioningState saga) =>
        saga.StepQueuedAt is { } queuedAt ? $"; no step consumer took the command sent at {queuedAt:O}" : "";

    // Why the stuck step was last deferred, when it was since it was asked (only deferrals and resumes recorded after
    // that): what AgentMail did to it, which the failure's bare count would not say. A retry asked again says no why.
    private static string LastDeferral(ProvisioningState saga) =>
        Enumerable.Reverse(saga.History)
            .TakeWhile(h => h.Step is ProvisioningSteps.Deferral or ProvisioningSteps.Resume)
            .FirstOrDefault(h => h.Step == ProvisioningSteps.Deferral && h.Outcome != "asked-again") is { Detail: { } detail }
            ? $" It was last deferred: {detail}"
            : "";

    private static void StepFailedFor(ProvisioningState saga, ProvisioningStepFailed failed)
    {
        saga.FailureReason = failed.Reason;
        saga.FailureKind = failed.Kind;
        saga.Finished();
        saga.Record(failed.Step, "failed", failed.Reason);
    }

    private static EnsureCustomerInbox EnsureInbox(ProvisioningState saga) =>
        new(saga.CorrelationId, saga.OrderRef, saga.UserId, saga.CustomerEmail, saga.PlacedAt, saga.Run);

    private static SubscribeInboxWebhook SubscribeWebhook(ProvisioningState saga) =>
        new(saga.CorrelationId, saga.UserId, saga.InboxId!, saga.OrderRef, saga.Run);

    private static ReconcileInboxWebhook Reconcile(ProvisioningState saga) =>
        new(saga.CorrelationId, saga.UserId, saga.InboxId!, saga.WebhookId, saga.ReconcileAttempts, saga.OrderRef, saga.Run);

    private static ReconcileInboxWebhook FinalReconcile(ProvisioningState saga, ProvisioningOptions limits) =>
        new(saga.CorrelationId, saga.UserId, saga.InboxId!, saga.WebhookId, limits.MaxReconcileAttempts, saga.OrderRef, saga.Run);

    private static InboxReady InboxReadyFor(ProvisioningState saga) =>
        new(saga.CorrelationId, saga.OrderRef, saga.UserId, saga.InboxId!, saga.InboxAddress!, saga.WebhookId!, saga.FinishedAt ?? DateTimeOffset.UtcNow);

    private static InboxProvisioningFailed FailedFor(ProvisioningState saga) =>
        new(saga.CorrelationId, saga.OrderRef, saga.UserId, saga.FailureReason ?? "unknown", saga.FinishedAt ?? DateTimeOffset.UtcNow, saga.FailureKind);
}
