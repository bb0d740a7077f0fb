using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Steps;
using OrdersMail.InboxProvisioner.Steps.Inbox;
using OrdersMail.InboxProvisioner.Steps.Reconcile;

namespace OrdersMail.InboxProvisioner.Tests.Saga;

/// <summary>
/// Answers the saga no longer waits for, on MassTransit's in-memory harness: those of a run ops started over (the failed
/// run's final read-back, answering after the retry was asked) and a failure of a step the saga has left. Neither moves
/// the saga; the answers of the step it waits on, in its run, still do.
/// </summary>
public sealed class StaleAnswer_Specs : IAsyncLifetime
{
    private SagaHarness _saga = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _saga = await SagaHarness.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await _saga.DisposeAsync();

    /// <summary>
    /// The failed run's final read-back, still queued when ops retried, finds the webhook still wrong and fails: the
    /// retried saga keeps waiting for its inbox step, announces no second failure, and ends Ready on the retry's answer.
    /// </summary>
    [Fact]
    public async Task Should_end_a_retried_saga_ready_when_its_failed_runs_final_read_back_fails_late()
    {
        var order = await _saga.FailedWhileReadingBackAsync();
        await _saga.PublishAsync(new RetryProvisioning(order.OrderId));
        await _saga.InStateAsync(order.OrderId, m => m.CreatingInbox);

        var finalReadBack = _saga.Sent<ReconcileInboxWebhook>(order.OrderId)[^1];
        await _saga.PublishAndAwaitAsync(new ProvisioningStepFailed(order.OrderId, ProvisioningSteps.Reconcile, "The webhook still differed", finalReadBack.Run), order.OrderId);
        Assert.Equal(ProvisioningStates.CreatingInbox, _saga.StateOf(order.OrderId));

        var retried = _saga.Sent<EnsureCustomerInbox>(order.OrderId)[^1];
        await _saga.PublishAsync(SagaHarness.VerifiedInbox(order) with { Run = retried.Run });
        var saga = await _saga.InStateAsync(order.OrderId, m => m.Ready);

        Assert.Equal((0, 1), (finalReadBack.Run, retried.Run));
        Assert.Single(_saga.Published<InboxProvisioningFailed>(order.OrderId));
        Assert.Single(_saga.Published<InboxReady>(order.OrderId));
        Assert.Null(saga.FailureReason);
    }

    /// <summary>
    /// A rolling upgrade: the retried saga's inbox step is answered by a consumer of the build before runs, whose answer
    /// names none. It counts for the run the saga is on, as every answer did before runs, instead of leaving the retried
    /// saga to wait for the sweeper.
    /// </summary>
    [Fact]
    public async Task Should_take_an_answer_naming_no_run_for_the_run_a_retried_saga_is_on()
    {
        var order = await _saga.FailedWhileReadingBackAsync();
        await _saga.PublishAsync(new RetryProvisioning(order.OrderId));
        await _saga.InStateAsync(order.OrderId, m => m.CreatingInbox);

        await _saga.PublishAsync(SagaHarness.VerifiedInbox(order) with { Run = null });

        await _saga.InStateAsync(order.OrderId, m => m.Ready);
        Assert.Single(_saga.Published<InboxReady>(order.OrderId));
    }

    /// <summary>
    /// The retried saga has reached its own read-back, of the step the stale answers name: the failed run's failure,
    /// deferral and verification of that step still change nothing, and the retry's read-back is asked under its run.
    /// </summary>
    [Fact]
    public async Task Should_ignore_the_failed_runs_answers_of_the_step_a_retried_saga_is_on()
    {
        var order = await _saga.FailedWhileReadingBackAsync();
        await _saga.PublishAsync(new RetryProvisioning(order.OrderId));
        await _saga.InStateAsync(order.OrderId, m => m.CreatingInbox);
        var retried = SagaHarness.VerifiedInbox(order) with { WebhookVerified = false, Run = 1 };
        await _saga.PublishAsync(retried);
        await _saga.InStateAsync(order.OrderId, m => m.ReconcilingWebhook);

        await _saga.PublishAndAwaitAsync(new ProvisioningStepFailed(order.OrderId, ProvisioningSteps.Reconcile, "The webhook still differed", Run: 0), order.OrderId);
        await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order.OrderId, ProvisioningSteps.Reconcile, "503", Run: 0), order.OrderId);
        await _saga.PublishAndAwaitAsync(new InboxWebhookVerified(order.OrderId, "wh_old", Run: 0), order.OrderId);

        var saga = _saga.Saga.Sagas.Contains(order.OrderId);
        Assert.Equal((ProvisioningStates.ReconcilingWebhook, null, 0, "wh_1"), (saga.CurrentState, saga.RetryAt, saga.Deferrals, saga.WebhookId));
        Assert.Equal(1, _saga.Sent<ReconcileInboxWebhook>(order.OrderId)[^1].Run);
        Assert.Single(_saga.Published<InboxProvisioningFailed>(order.OrderId));
        Assert.Empty(_saga.Published<InboxReady>(order.OrderId));
    }

    /// <summary>A failure of a step the saga has left (a resumed step's second answer) fails nothing.</summary>
    [Fact]
    public async Task Should_ignore_a_failure_of_a_step_the_saga_has_left()
    {
        var subscribing = await _saga.SubscribingAsync();
        var reconciling = await _saga.ReconcilingAsync();

        await _saga.PublishAndAwaitAsync(new ProvisioningStepFailed(subscribing.OrderId, ProvisioningSteps.Inbox, "AgentMail refused the inbox"), subscribing.OrderId);
        await _saga.PublishAndAwaitAsync(new ProvisioningStepFailed(reconciling.OrderId, ProvisioningSteps.Webhook, "AgentMail refused the inbox's webhook"), reconciling.OrderId);

        Assert.Equal(ProvisioningStates.SubscribingWebhook, _saga.StateOf(subscribing.OrderId));
        Assert.Equal(ProvisioningStates.ReconcilingWebhook, _saga.StateOf(reconciling.OrderId));
        Assert.Empty(_saga.Published<InboxProvisioningFailed>(subscribing.OrderId));
        Assert.Empty(_saga.Published<InboxProvisioningFailed>(reconciling.OrderId));
    }
}
