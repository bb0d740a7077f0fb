using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Steps;
using OrdersMail.InboxProvisioner.Steps.Reconcile;

namespace OrdersMail.InboxProvisioner.Tests.Saga;

/// <summary>
/// A failed saga's final read-back (the one that deletes a mis-scoped webhook on the way out) that found AgentMail
/// unavailable, on the saga alone: it is retried like a deferred step, the saga staying Failed, until its retries are
/// used up; then what it would have deleted is left to the webhook watch.
/// </summary>
public sealed class FinalReadBackDeferral_Specs : IAsyncLifetime
{
    private SagaHarness _saga = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _saga = await SagaHarness.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await _saga.DisposeAsync();

    /// <summary>Each deferral of the final read-back schedules a retry that sends it again, as the last attempt.</summary>
    [Fact]
    public async Task Should_retry_a_deferred_final_read_back_of_a_failed_saga_until_its_retries_are_used_up()
    {
        var order = (await _saga.FailedWhileReadingBackAsync()).OrderId;
        var sent = _saga.Sent<ReconcileInboxWebhook>(order).Count;

        for (var deferral = 1; deferral <= SagaHarness.StepRetries; deferral++)
        {
            await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order, ProvisioningSteps.Reconcile, "AgentMail webhooks.get: answered 503"), order, deferral);
            var saga = _saga.Saga.Sagas.Contains(order);
            Assert.NotNull(saga.RetryAt);
            Assert.Equal((ProvisioningStates.Failed, ProvisioningSteps.Deferral, "retry-scheduled"), (saga.CurrentState, saga.History[^1].Step, saga.History[^1].Outcome));

            await _saga.PublishAndAwaitAsync(new RetryDeferredStep(order, deferral), order, deferral);
            var readBacks = _saga.Sent<ReconcileInboxWebhook>(order);
            Assert.Equal(sent + deferral, readBacks.Count);
            Assert.Equal(SagaHarness.MaxReconcileAttempts, readBacks[^1].Attempt);
        }

        await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order, ProvisioningSteps.Reconcile, "circuit open"), order, SagaHarness.StepRetries + 1);

        var left = _saga.Saga.Sagas.Contains(order);
        Assert.Null(left.RetryAt);
        Assert.Equal((ProvisioningStates.Failed, ProvisioningSteps.Deferral, "left-to-webhook-watch"), (left.CurrentState, left.History[^1].Step, left.History[^1].Outcome));
        Assert.Equal(sent + SagaHarness.StepRetries, _saga.Sent<ReconcileInboxWebhook>(order).Count);
        Assert.Single(_saga.Published<InboxProvisioningFailed>(order));
    }

    /// <summary>A retry delivered again sends the read-back again and counts nothing; a stale retry sends nothing.</summary>
    [Fact]
    public async Task Should_send_the_final_read_back_again_for_a_retry_delivered_again_and_nothing_for_a_stale_one()
    {
        var order = (await _saga.FailedWhileReadingBackAsync()).OrderId;
        var sent = _saga.Sent<ReconcileInboxWebhook>(order).Count;
        await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order, ProvisioningSteps.Reconcile, "503"), order);
        await _saga.PublishAndAwaitAsync(new RetryDeferredStep(order, 1), order);

        await _saga.DeliverAgainAsync(new RetryDeferredStep(order, 1), order, times: 2);
        await _saga.PublishAndAwaitAsync(new RetryDeferredStep(order, 1), order, times: 3);

        Assert.Equal(sent + 2, _saga.Sent<ReconcileInboxWebhook>(order).Count);
        var saga = _saga.Saga.Sagas.Contains(order);
        Assert.Equal((1, null), (saga.Deferrals, saga.RetryAt));
    }

    /// <summary>A saga that failed before it knew an inbox has nothing to read back: a deferral changes nothing.</summary>
    [Fact]
    public async Task Should_schedule_nothing_for_a_failed_saga_without_an_inbox()
    {
        var order = await _saga.PlacedAsync();
        await _saga.PublishAsync(new ProvisioningStepFailed(order.OrderId, ProvisioningSteps.Inbox, "usernames exhausted"));
        await _saga.InStateAsync(order.OrderId, m => m.Failed);

        await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order.OrderId, ProvisioningSteps.Reconcile, "503"), order.OrderId);

        Assert.Null(_saga.Saga.Sagas.Contains(order.OrderId).RetryAt);
        Assert.Empty(_saga.Sent<ReconcileInboxWebhook>(order.OrderId));
    }
}
