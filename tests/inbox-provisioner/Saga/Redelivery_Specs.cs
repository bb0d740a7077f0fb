using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Steps;
using OrdersMail.InboxProvisioner.Steps.Inbox;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.InboxProvisioner.Steps.Webhook;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Saga;

/// <summary>
/// A message delivered again after its transition committed, on MassTransit's in-memory harness. The in-memory outbox
/// sends a transition's messages only once the saga's row has committed, so a broker that goes away between the two
/// loses them while the message that caused them is retried or redelivered: each spec's delivery again must send
/// again what the first one's transition sent, and change nothing else. Another copy of a message that is not a
/// delivery again (a republish) changes nothing, as before.
/// </summary>
public sealed class Redelivery_Specs : IAsyncLifetime
{
    private SagaHarness _saga = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _saga = await SagaHarness.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await _saga.DisposeAsync();

    /// <summary>
    /// OrderCreated delivered again asks for the inbox again (its EnsureCustomerInbox may be the one the broker lost:
    /// chaos, 2026-12-03), and starts nothing twice.
    /// </summary>
    [Fact]
    public async Task Should_ask_for_the_inbox_again_but_start_once_when_OrderCreated_arrives_twice()
    {
        var order = await _saga.PlacedAsync();

        await _saga.DeliverAgainAsync(order, order.OrderId);

        await Eventually.Until(() => Task.FromResult(_saga.Sent<EnsureCustomerInbox>(order.OrderId).Count), n => n == 2, TimeSpan.FromSeconds(10), "the inbox asked for again");
        var (first, again) = (_saga.Sent<EnsureCustomerInbox>(order.OrderId)[0], _saga.Sent<EnsureCustomerInbox>(order.OrderId)[1]);
        Assert.Equal(first, again);
        var saga = _saga.Saga.Sagas.Contains(order.OrderId);
        Assert.Equal(ProvisioningStates.CreatingInbox, saga.CurrentState);
        Assert.Equal([ProvisioningSteps.Order], saga.History.Select(h => h.Step));
    }

    /// <summary>
    /// Another copy of OrderCreated that is not a delivery again (a republish, or the order published twice) asks for
    /// nothing: the first copy's transition sent its own EnsureCustomerInbox, and asking again would only make the inbox
    /// step run twice and announce the inbox twice.
    /// </summary>
    [Fact]
    public async Task Should_ask_for_the_inbox_once_when_another_copy_of_OrderCreated_arrives()
    {
        var order = await _saga.PlacedAsync();

        await _saga.PublishAndAwaitAsync(order, order.OrderId, times: 2);

        Assert.Single(_saga.Sent<EnsureCustomerInbox>(order.OrderId));
        Assert.Equal(ProvisioningStates.CreatingInbox, _saga.StateOf(order.OrderId));
    }

    /// <summary>
    /// The inbox step's answer delivered again (or a resumed step answering twice, even with another inbox) asks for the
    /// webhook of the saga's own inbox again, and leaves the saga's inbox as it was.
    /// </summary>
    [Fact]
    public async Task Should_ask_for_the_webhook_of_its_own_inbox_again_when_the_inbox_steps_answer_arrives_twice()
    {
        var order = await _saga.SubscribingAsync();

        await _saga.DeliverAgainAsync(new CustomerInboxEnsured(order.OrderId, "other@agentmail.to", "other@agentmail.to", Created: false, order.OrderRef), order.OrderId);

        await Eventually.Until(() => Task.FromResult(_saga.Sent<SubscribeInboxWebhook>(order.OrderId).Count), n => n == 2, TimeSpan.FromSeconds(10), "the webhook asked for again");
        Assert.All(_saga.Sent<SubscribeInboxWebhook>(order.OrderId), s => Assert.Equal("jane@agentmail.to", s.InboxId));
        var saga = _saga.Saga.Sagas.Contains(order.OrderId);
        Assert.Equal((ProvisioningStates.SubscribingWebhook, "jane@agentmail.to"), (saga.CurrentState, saga.InboxId));
    }

    /// <summary>The webhook step's answer delivered again asks for the same read-back again; the attempt count does not move.</summary>
    [Fact]
    public async Task Should_ask_for_the_read_back_again_when_the_webhook_steps_answer_arrives_twice()
    {
        var order = await _saga.ReconcilingAsync();

        await _saga.DeliverAgainAsync(new InboxWebhookSubscribed(order.OrderId, "wh_1", Created: true), order.OrderId);

        await Eventually.Until(() => Task.FromResult(_saga.Sent<ReconcileInboxWebhook>(order.OrderId).Count), n => n == 2, TimeSpan.FromSeconds(10), "the read-back asked for again");
        var (first, again) = (_saga.Sent<ReconcileInboxWebhook>(order.OrderId)[0], _saga.Sent<ReconcileInboxWebhook>(order.OrderId)[1]);
        Assert.Equal(first, again);
        Assert.Equal(1, _saga.Saga.Sagas.Contains(order.OrderId).ReconcileAttempts);
    }

    /// <summary>
    /// A repair delivered again (its next read-back lost with the broker) asks for the same next read-back again; the
    /// attempt is counted once, so the delivery again does not bring the last attempt, which deletes, nearer.
    /// </summary>
    [Fact]
    public async Task Should_ask_for_the_next_read_back_again_and_count_the_attempt_once_when_a_repair_arrives_twice()
    {
        var order = await _saga.ReconcilingAsync();
        var repaired = new InboxWebhookRepaired(order.OrderId, "wh_2", ["url differed"], SecurityEvent: false, Attempt: 1);
        await _saga.PublishAndAwaitAsync(repaired, order.OrderId);

        await _saga.DeliverAgainAsync(repaired, order.OrderId);

        await Eventually.Until(() => Task.FromResult(_saga.Sent<ReconcileInboxWebhook>(order.OrderId).Count), n => n == 3, TimeSpan.FromSeconds(10), "the next read-back asked for again");
        var (next, again) = (_saga.Sent<ReconcileInboxWebhook>(order.OrderId)[1], _saga.Sent<ReconcileInboxWebhook>(order.OrderId)[2]);
        Assert.Equal(next, again);
        Assert.Equal((2, "wh_2"), (again.Attempt, again.WebhookId));
        var saga = _saga.Saga.Sagas.Contains(order.OrderId);
        Assert.Equal(2, saga.ReconcileAttempts);
        Assert.Single(saga.History, h => h.Outcome == "repaired");
    }

    /// <summary>
    /// A second answer of one read-back that is not a delivery again (a resumed read-back answering twice) asks for
    /// nothing more and counts nothing: the first answer's transition asked for the next read-back.
    /// </summary>
    [Fact]
    public async Task Should_count_a_read_back_once_when_it_is_answered_twice()
    {
        var order = await _saga.ReconcilingAsync();
        var repaired = new InboxWebhookRepaired(order.OrderId, "wh_2", ["url differed"], SecurityEvent: false, Attempt: 1);

        await _saga.PublishAndAwaitAsync(repaired, order.OrderId, times: 1);
        await _saga.PublishAndAwaitAsync(repaired, order.OrderId, times: 2);

        Assert.Equal(2, _saga.Sent<ReconcileInboxWebhook>(order.OrderId).Count);
        Assert.Equal(2, _saga.Saga.Sagas.Contains(order.OrderId).ReconcileAttempts);
    }

    /// <summary>The inbox step's unverified webhook delivered again asks for the same read-back again.</summary>
    [Fact]
    public async Task Should_ask_for_the_read_back_again_when_the_inbox_steps_unverified_answer_arrives_twice()
    {
        var order = await _saga.PlacedAsync();
        await _saga.PublishAsync(SagaHarness.VerifiedInbox(order) with { WebhookVerified = false });
        await _saga.InStateAsync(order.OrderId, m => m.ReconcilingWebhook);

        await _saga.DeliverAgainAsync(SagaHarness.VerifiedInbox(order) with { WebhookVerified = false }, order.OrderId);

        await Eventually.Until(() => Task.FromResult(_saga.Sent<ReconcileInboxWebhook>(order.OrderId).Count), n => n == 2, TimeSpan.FromSeconds(10), "the read-back asked for again");
        Assert.Empty(_saga.Sent<SubscribeInboxWebhook>(order.OrderId));
        Assert.Equal(ProvisioningStates.ReconcilingWebhook, _saga.StateOf(order.OrderId));
    }

    /// <summary>Ops' retry delivered again asks for the inbox again, and records the retry once.</summary>
    [Fact]
    public async Task Should_ask_for_the_inbox_again_when_ops_retry_arrives_twice()
    {
        var order = await _saga.PlacedAsync();
        await _saga.PublishAsync(new ProvisioningStepFailed(order.OrderId, ProvisioningSteps.Inbox, "refused"));
        await _saga.InStateAsync(order.OrderId, m => m.Failed);
        await _saga.PublishAsync(new RetryProvisioning(order.OrderId));
        await _saga.InStateAsync(order.OrderId, m => m.CreatingInbox);

        await _saga.DeliverAgainAsync(new RetryProvisioning(order.OrderId), order.OrderId);

        await Eventually.Until(() => Task.FromResult(_saga.Sent<EnsureCustomerInbox>(order.OrderId).Count), n => n == 3, TimeSpan.FromSeconds(10), "the inbox asked for again");
        Assert.Single(_saga.Saga.Sagas.Contains(order.OrderId).History, h => h.Step == ProvisioningSteps.Retry);
    }

    /// <summary>A step's failure delivered again publishes the same failure again; the saga stays Failed with its first reason.</summary>
    [Fact]
    public async Task Should_publish_the_failure_again_when_the_steps_failure_arrives_twice()
    {
        var order = await _saga.SubscribingAsync();
        await _saga.PublishAsync(new ProvisioningStepFailed(order.OrderId, ProvisioningSteps.Webhook, "AgentMail refused"));
        await _saga.InStateAsync(order.OrderId, m => m.Failed);

        await _saga.DeliverAgainAsync(new ProvisioningStepFailed(order.OrderId, ProvisioningSteps.Webhook, "AgentMail refused"), order.OrderId);

        await Eventually.Until(() => Task.FromResult(_saga.Published<InboxProvisioningFailed>(order.OrderId).Count), n => n == 2, TimeSpan.FromSeconds(10), "the failure published again");
        Assert.All(_saga.Published<InboxProvisioningFailed>(order.OrderId), f => Assert.Equal("AgentMail refused", f.Reason));
        Assert.Equal(ProvisioningStates.Failed, _saga.StateOf(order.OrderId));
        Assert.Empty(_saga.Published<InboxReady>(order.OrderId));
    }

    /// <summary>
    /// The sweeper's resume delivered again (the step's command lost with the broker) asks the step again and counts the
    /// resume once: counted twice, it failed the saga on the spot when the first was its last resume.
    /// </summary>
    [Fact]
    public async Task Should_ask_the_stuck_step_again_and_count_the_resume_once_when_it_arrives_twice()
    {
        var order = await _saga.SubscribingAsync();
        var resume = new ResumeProvisioning(order.OrderId, DateTimeOffset.UtcNow, Resumes: 0);
        await _saga.PublishAndAwaitAsync(resume, order.OrderId);

        await _saga.DeliverAgainAsync(resume, order.OrderId);

        await Eventually.Until(() => Task.FromResult(_saga.Sent<SubscribeInboxWebhook>(order.OrderId).Count), n => n == 3, TimeSpan.FromSeconds(10), "the stuck step asked again");
        var saga = _saga.Saga.Sagas.Contains(order.OrderId);
        Assert.Equal((ProvisioningStates.SubscribingWebhook, SagaHarness.MaxResumes), (saga.CurrentState, saga.Resumes));
        Assert.Single(saga.History, h => h.Step == ProvisioningSteps.Resume);
        Assert.Empty(_saga.Published<InboxProvisioningFailed>(order.OrderId));
    }

    /// <summary>
    /// A deferred step's due retry delivered again (the step's command lost with the broker after the dispatcher cleared
    /// the row's due_at, so nothing asks the step before StepQueueTimeout) asks the step again, the retry counted once.
    /// </summary>
    [Fact]
    public async Task Should_ask_the_deferred_step_again_and_count_the_retry_once_when_its_retry_arrives_twice()
    {
        var order = await _saga.PlacedAsync();
        await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order.OrderId, ProvisioningSteps.Inbox, "AgentMail inboxes.create: answered 503"), order.OrderId);
        var retry = new RetryDeferredStep(order.OrderId, Deferral: 1);
        await _saga.PublishAndAwaitAsync(retry, order.OrderId);

        await _saga.DeliverAgainAsync(retry, order.OrderId);

        await Eventually.Until(() => Task.FromResult(_saga.Sent<EnsureCustomerInbox>(order.OrderId).Count), n => n == 3, TimeSpan.FromSeconds(10), "the deferred step asked again");
        var (retried, again) = (_saga.Sent<EnsureCustomerInbox>(order.OrderId)[1], _saga.Sent<EnsureCustomerInbox>(order.OrderId)[2]);
        Assert.Equal(retried, again);
        var saga = _saga.Saga.Sagas.Contains(order.OrderId);
        Assert.Equal((ProvisioningStates.CreatingInbox, 1, null), (saga.CurrentState, saga.Deferrals, saga.RetryAt));
        Assert.Single(saga.History, h => h.Outcome == "asked-again");
    }

    /// <summary>
    /// A due retry delivered again whose first delivery never committed (the saga still waits on it) is taken once: the
    /// step asked once, not once by the retry and again by its delivery again.
    /// </summary>
    [Fact]
    public async Task Should_ask_the_deferred_step_once_when_its_retry_arrives_again_before_its_first_delivery_committed()
    {
        var order = await _saga.PlacedAsync();
        await _saga.PublishAndAwaitAsync(new ProvisioningStepDeferred(order.OrderId, ProvisioningSteps.Inbox, "AgentMail inboxes.create: answered 503"), order.OrderId);

        await _saga.DeliverAgainAsync(new RetryDeferredStep(order.OrderId, Deferral: 1), order.OrderId, times: 1);

        Assert.Equal(2, _saga.Sent<EnsureCustomerInbox>(order.OrderId).Count);
        Assert.Null(_saga.Saga.Sagas.Contains(order.OrderId).RetryAt);
    }

    /// <summary>
    /// A resume delivered again whose first delivery never committed (a retry of a transaction that failed): the saga
    /// never counted it, so it is counted now and the stuck step asked once, not once as counted and again as a delivery again.
    /// </summary>
    [Fact]
    public async Task Should_ask_the_stuck_step_once_when_its_resume_arrives_again_before_its_first_delivery_committed()
    {
        var order = await _saga.SubscribingAsync();

        await _saga.DeliverAgainAsync(new ResumeProvisioning(order.OrderId, DateTimeOffset.UtcNow, Resumes: 0), order.OrderId, times: 1);

        await Eventually.Until(() => Task.FromResult(_saga.Sent<SubscribeInboxWebhook>(order.OrderId).Count), n => n >= 2, TimeSpan.FromSeconds(10), "the stuck step asked again");
        Assert.Equal(2, _saga.Sent<SubscribeInboxWebhook>(order.OrderId).Count);
        Assert.Equal(1, _saga.Saga.Sagas.Contains(order.OrderId).Resumes);
        Assert.Single(_saga.Saga.Sagas.Contains(order.OrderId).History, h => h.Step == ProvisioningSteps.Resume);
    }

    /// <summary>
    /// A repair delivered again whose first delivery never committed (the replica killed before its commit, or a retry of a
    /// transaction that failed): the saga never counted it, so its attempt is counted now and the next read-back asked for
    /// once, not once as counted and again as a delivery again.
    /// </summary>
    [Fact]
    public async Task Should_ask_for_the_next_read_back_once_when_a_repair_arrives_again_before_its_first_delivery_committed()
    {
        var order = await _saga.ReconcilingAsync();

        await _saga.DeliverAgainAsync(new InboxWebhookRepaired(order.OrderId, "wh_2", ["url differed"], SecurityEvent: false, Attempt: 1), order.OrderId, times: 1);

        await Eventually.Until(() => Task.FromResult(_saga.Sent<ReconcileInboxWebhook>(order.OrderId).Count), n => n >= 2, TimeSpan.FromSeconds(10), "the next read-back asked for");
        Assert.Equal([(1, "wh_1"), (2, "wh_2")], _saga.Sent<ReconcileInboxWebhook>(order.OrderId).Select(r => (r.Attempt, r.WebhookId)));
        var saga = _saga.Saga.Sagas.Contains(order.OrderId);
        Assert.Equal(2, saga.ReconcileAttempts);
        Assert.Single(saga.History, h => h.Outcome == "repaired");
    }

    /// <summary>
    /// The sweeper's resume that failed the saga delivered again (its failure and the last read-back, which deletes a
    /// mis-scoped webhook, lost with the broker between the commit and the sends) publishes the same failure and asks for
    /// the last read-back again; the saga stays Failed, its failure recorded once.
    /// </summary>
    [Fact]
    public async Task Should_publish_the_failure_and_ask_for_the_last_read_back_again_when_the_resume_that_failed_the_saga_arrives_twice()
    {
        var order = await _saga.SubscribingAsync();
        var resume = new ResumeProvisioning(order.OrderId, DateTimeOffset.UtcNow);
        for (var times = 1; times <= SagaHarness.MaxResumes + 1; times++)
        {
            await _saga.PublishAndAwaitAsync(resume, order.OrderId, times);
        }

        var reason = (await _saga.InStateAsync(order.OrderId, m => m.Failed)).FailureReason;

        await _saga.DeliverAgainAsync(resume, order.OrderId, times: SagaHarness.MaxResumes + 2);

        await Eventually.Until(() => Task.FromResult(_saga.Published<InboxProvisioningFailed>(order.OrderId).Count), n => n == 2, TimeSpan.FromSeconds(10), "the failure published again");
        await Eventually.Until(() => Task.FromResult(_saga.Sent<ReconcileInboxWebhook>(order.OrderId).Count), n => n == 2, TimeSpan.FromSeconds(10), "the last read-back asked for again");
        Assert.All(_saga.Published<InboxProvisioningFailed>(order.OrderId), f => Assert.Equal(reason, f.Reason));
        Assert.All(_saga.Sent<ReconcileInboxWebhook>(order.OrderId), r => Assert.Equal(SagaHarness.MaxReconcileAttempts, r.Attempt));
        var saga = _saga.Saga.Sagas.Contains(order.OrderId);
        Assert.Equal(ProvisioningStates.Failed, saga.CurrentState);
        Assert.Single(saga.History, h => h.Outcome == "failed");
    }

    /// <summary>The same for a stuck inbox step: the failure published again, and no read-back, as there is no inbox.</summary>
    [Fact]
    public async Task Should_publish_the_failure_again_without_a_read_back_when_the_resume_that_failed_an_inbox_step_arrives_twice()
    {
        var order = await _saga.PlacedAsync();
        var resume = new ResumeProvisioning(order.OrderId, DateTimeOffset.UtcNow);
        for (var times = 1; times <= SagaHarness.MaxResumes + 1; times++)
        {
            await _saga.PublishAndAwaitAsync(resume, order.OrderId, times);
        }

        await _saga.InStateAsync(order.OrderId, m => m.Failed);

        await _saga.DeliverAgainAsync(resume, order.OrderId, times: SagaHarness.MaxResumes + 2);

        await Eventually.Until(() => Task.FromResult(_saga.Published<InboxProvisioningFailed>(order.OrderId).Count), n => n == 2, TimeSpan.FromSeconds(10), "the failure published again");
        Assert.Empty(_saga.Sent<ReconcileInboxWebhook>(order.OrderId));
        Assert.Equal(ProvisioningStates.Failed, _saga.StateOf(order.OrderId));
    }

    /// <summary>
    /// That answer delivered again after the saga committed Ready (its InboxReady lost with the broker between the commit
    /// and the publish) publishes InboxReady again with the same facts; the saga stays as it was.
    /// </summary>
    [Fact]
    public async Task Should_publish_InboxReady_again_when_the_inbox_steps_verified_answer_is_delivered_again()
    {
        var order = await _saga.PlacedAsync();
        await _saga.PublishAsync(SagaHarness.VerifiedInbox(order));
        var finishedAt = (await _saga.InStateAsync(order.OrderId, m => m.Ready)).FinishedAt;

        await _saga.PublishAndAwaitAsync(SagaHarness.VerifiedInbox(order), order.OrderId, times: 2);

        await Eventually.Until(() => Task.FromResult(_saga.Published<InboxReady>(order.OrderId).Count), n => n == 2, TimeSpan.FromSeconds(10), "InboxReady published again");
        Assert.Equal("wh_1", _saga.Published<InboxReady>(order.OrderId)[1].WebhookId);
        Assert.Equal(finishedAt, _saga.Saga.Sagas.Contains(order.OrderId).FinishedAt);
        Assert.Empty(_saga.Sent<SubscribeInboxWebhook>(order.OrderId));
    }

    /// <summary>
    /// The verified read-back delivered again after the saga committed Ready (its InboxReady lost with the broker between
    /// the commit and the publish) publishes InboxReady again, with the same facts, and the saga stays as it was.
    /// </summary>
    [Fact]
    public async Task Should_publish_InboxReady_again_when_the_verified_read_back_is_delivered_again()
    {
        var order = await _saga.ReconcilingAsync();
        await _saga.PublishAsync(new InboxWebhookVerified(order.OrderId, "wh_1"));
        var finishedAt = (await _saga.InStateAsync(order.OrderId, m => m.Ready)).FinishedAt;

        await _saga.PublishAndAwaitAsync(new InboxWebhookVerified(order.OrderId, "wh_1"), order.OrderId, times: 2);

        await Eventually.Until(() => Task.FromResult(_saga.Published<InboxReady>(order.OrderId).Count), n => n == 2, TimeSpan.FromSeconds(10), "InboxReady published again");
        var (first, again) = (_saga.Published<InboxReady>(order.OrderId)[0], _saga.Published<InboxReady>(order.OrderId)[1]);
        Assert.Equal((first.InboxId, first.WebhookId, first.OrderRef), (again.InboxId, again.WebhookId, again.OrderRef));
        Assert.Equal(ProvisioningStates.Ready, _saga.StateOf(order.OrderId));
        Assert.Equal(finishedAt, _saga.Saga.Sagas.Contains(order.OrderId).FinishedAt);
    }
}
