using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Steps;
using OrdersMail.InboxProvisioner.Steps.Inbox;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.InboxProvisioner.Steps.Webhook;

namespace OrdersMail.InboxProvisioner.Tests.Saga;

/// <summary>
/// A step AgentMail was unavailable for, on the saga alone: each deferral schedules the step's retry after a growing
/// wait until the retries are used up, then the step is left to the sweeper; a due retry asks the step again once; a
/// stale retry or a deferral of a step the saga has left changes nothing.
/// </summary>
public sealed class StepDeferral_Specs : IAsyncLifetime
{
    private SagaHarness _saga = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _saga = await SagaHarness.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await _saga.DisposeAsync();

    /// <summary>The first deferral schedules a retry about StepRetryDelay away; when it is due, the step is asked again.</summary>
    [Fact]
    public async Task Should_schedule_a_retry_of_a_deferred_step_and_ask_it_again_when_it_is_due()
    {
        var order = SagaHarness.Order();
        await _saga.PublishAsync(order);
        await _saga.InStateAsync(order.OrderId, m => m.CreatingInbox);
        var before = DateTimeOffset.UtcNow;

        await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order.OrderId, ProvisioningSteps.Inbox, "AgentMail inboxes.create: answered 503"), order.OrderId);

        var saga = _saga.Saga.Sagas.Contains(order.OrderId);
        Assert.Equal(1, saga.Deferrals);
        Assert.NotNull(saga.RetryAt);
        var wait = saga.RetryAt.Value - before;
        Assert.InRange(wait, SagaHarness.StepRetryDelay * 0.79, SagaHarness.StepRetryDelay * 1.21 + TimeSpan.FromSeconds(1));
        Assert.Equal((ProvisioningSteps.Deferral, "retry-scheduled"), (saga.History[^1].Step, saga.History[^1].Outcome));
        Assert.Single(_saga.Sent<EnsureCustomerInbox>(order.OrderId));

        await _saga.PublishAndAwaitAsync(new RetryDeferredStep(order.OrderId, 1), order.OrderId);

        Assert.Equal(2, _saga.Sent<EnsureCustomerInbox>(order.OrderId).Count);
        saga = _saga.Saga.Sagas.Contains(order.OrderId);
        Assert.Null(saga.RetryAt);
        Assert.Equal(ProvisioningStates.CreatingInbox, saga.CurrentState);
        Assert.Equal((ProvisioningSteps.Deferral, "asked-again"), (saga.History[^1].Step, saga.History[^1].Outcome));
    }

    /// <summary>Each retry waits longer; past StepRetries the step is left to the sweeper, with nothing scheduled.</summary>
    [Fact]
    public async Task Should_back_off_and_leave_the_step_to_the_sweeper_once_its_retries_are_used_up()
    {
        var order = await _saga.SubscribingAsync();
        var waits = new List<TimeSpan>();
        for (var deferral = 1; deferral <= SagaHarness.StepRetries; deferral++)
        {
            var before = DateTimeOffset.UtcNow;
            await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order.OrderId, ProvisioningSteps.Webhook, "circuit open"), order.OrderId, deferral);
            waits.Add(_saga.Saga.Sagas.Contains(order.OrderId).RetryAt!.Value - before);
            await _saga.PublishAndAwaitAsync(new RetryDeferredStep(order.OrderId, deferral), order.OrderId, deferral);
        }

        await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order.OrderId, ProvisioningSteps.Webhook, "circuit open"), order.OrderId, SagaHarness.StepRetries + 1);

        Assert.True(waits[1] > waits[0] * 2, $"the second retry waited {waits[1]}, the first {waits[0]}: no backoff");
        var saga = _saga.Saga.Sagas.Contains(order.OrderId);
        Assert.Null(saga.RetryAt);
        Assert.Equal(SagaHarness.StepRetries, saga.Deferrals);
        Assert.Equal((ProvisioningSteps.Deferral, "left-to-sweeper"), (saga.History[^1].Step, saga.History[^1].Outcome));
        Assert.Equal(1 + SagaHarness.StepRetries, _saga.Sent<SubscribeInboxWebhook>(order.OrderId).Count);
        Assert.Equal(ProvisioningStates.SubscribingWebhook, saga.CurrentState);
    }

    /// <summary>
    /// A retry the saga has moved past (asked already, or the step answered meanwhile) and a deferral of a step the
    /// saga has left ask nothing again; the next step starts with its own retries.
    /// </summary>
    [Fact]
    public async Task Should_ignore_stale_retries_and_deferrals_of_a_step_the_saga_has_left()
    {
        var order = SagaHarness.Order();
        await _saga.PublishAsync(order);
        await _saga.InStateAsync(order.OrderId, m => m.CreatingInbox);
        await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order.OrderId, ProvisioningSteps.Inbox, "503"), order.OrderId);
        await _saga.PublishAndAwaitAsync(new RetryDeferredStep(order.OrderId, 1), order.OrderId);

        await _saga.PublishAndAwaitAsync(new RetryDeferredStep(order.OrderId, 1), order.OrderId, times: 2);
        Assert.Equal(2, _saga.Sent<EnsureCustomerInbox>(order.OrderId).Count);

        await _saga.PublishAsync(new CustomerInboxEnsured(order.OrderId, "jane@agentmail.to", "jane@agentmail.to", Created: true, order.OrderRef));
        var saga = await _saga.InStateAsync(order.OrderId, m => m.SubscribingWebhook);
        Assert.Equal((0, null), (saga.Deferrals, saga.RetryAt));

        await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order.OrderId, ProvisioningSteps.Inbox, "late"), order.OrderId, times: 2);
        await _saga.PublishAndAwaitAsync(new RetryDeferredStep(order.OrderId, 1), order.OrderId, times: 3);

        saga = _saga.Saga.Sagas.Contains(order.OrderId);
        Assert.Equal((0, null), (saga.Deferrals, saga.RetryAt));
        Assert.Equal(2, _saga.Sent<EnsureCustomerInbox>(order.OrderId).Count);
        Assert.Single(_saga.Sent<SubscribeInboxWebhook>(order.OrderId));
    }

    /// <summary>The sweeper asking a deferred step again makes its waiting retry stale: the step is not asked twice.</summary>
    [Fact]
    public async Task Should_drop_a_waiting_retry_when_the_sweeper_asks_the_step_again()
    {
        var order = await _saga.SubscribingAsync();
        await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order.OrderId, ProvisioningSteps.Webhook, "timeout"), order.OrderId);

        await _saga.PublishAndAwaitAsync(new ResumeProvisioning(order.OrderId, DateTimeOffset.UtcNow), order.OrderId);
        await _saga.PublishAndAwaitAsync(new RetryDeferredStep(order.OrderId, 1), order.OrderId);

        Assert.Equal(2, _saga.Sent<SubscribeInboxWebhook>(order.OrderId).Count);
        Assert.Null(_saga.Saga.Sagas.Contains(order.OrderId).RetryAt);
    }

    /// <summary>A saga that ends keeps no retry waiting (its row's due_at is cleared).</summary>
    [Fact]
    public async Task Should_keep_no_retry_waiting_once_the_saga_ends()
    {
        var order = await _saga.SubscribingAsync();
        await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order.OrderId, ProvisioningSteps.Webhook, "503"), order.OrderId);

        await _saga.PublishAsync(new ProvisioningStepFailed(order.OrderId, ProvisioningSteps.Webhook, "refused"));
        var saga = await _saga.InStateAsync(order.OrderId, m => m.Failed);

        Assert.Null(saga.RetryAt);
        Assert.Empty(_saga.Sent<ReconcileInboxWebhook>(order.OrderId));
    }
}
