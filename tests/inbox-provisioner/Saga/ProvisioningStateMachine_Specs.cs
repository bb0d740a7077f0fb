using OrdersMail.Contracts.Orders;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Steps;
using OrdersMail.InboxProvisioner.Steps.Inbox;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.InboxProvisioner.Steps.Webhook;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Saga;

/// <summary>
/// The saga's transitions on MassTransit's in-memory harness, each step's answer played by the spec: what each answer
/// moves it to and what it asks next, the sweeper's resumes, ops' retry, and answers that come too late or twice.
/// </summary>
public sealed class ProvisioningStateMachine_Specs : IAsyncLifetime
{
    private SagaHarness _saga = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _saga = await SagaHarness.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await _saga.DisposeAsync();

    /// <summary>OrderCreated starts the saga and asks for the customer's inbox.</summary>
    [Fact]
    public async Task Should_ask_for_the_inbox_when_an_order_is_placed()
    {
        var order = SagaHarness.Order();

        await _saga.PublishAsync(order);
        var saga = await _saga.InStateAsync(order.OrderId, m => m.CreatingInbox);

        var ensure = Assert.Single(_saga.Sent<EnsureCustomerInbox>(order.OrderId));
        Assert.Equal(new EnsureCustomerInbox(order.OrderId, order.OrderRef, order.UserId, order.CustomerEmail, order.PlacedAt, Run: 0), ensure);
        Assert.Equal(ProvisioningStates.CreatingInbox, saga.CurrentState);
        Assert.Equal([ProvisioningSteps.Order], saga.History.Select(h => h.Step));
    }

    /// <summary>The inbox's answer moves it on to the webhook.</summary>
    [Fact]
    public async Task Should_ask_for_the_webhook_once_the_inbox_is_ensured()
    {
        var order = await _saga.PlacedAsync();

        await _saga.PublishAsync(new CustomerInboxEnsured(order.OrderId, "jane@agentmail.to", "jane@agentmail.to", Created: true, order.OrderRef));
        var saga = await _saga.InStateAsync(order.OrderId, m => m.SubscribingWebhook);

        Assert.Equal(new SubscribeInboxWebhook(order.OrderId, order.UserId, "jane@agentmail.to", order.OrderRef, Run: 0), Assert.Single(_saga.Sent<SubscribeInboxWebhook>(order.OrderId)));
        Assert.Equal("jane@agentmail.to", saga.InboxId);
        Assert.Equal("created", saga.History.Last().Outcome);
    }

    /// <summary>
    /// The inbox step that also made sure of the webhook and read it back as asked for ends the saga Ready on its one
    /// answer: neither the webhook step nor the reconcile step is asked, and the history tells all three facts.
    /// </summary>
    [Fact]
    public async Task Should_end_ready_on_the_inbox_steps_answer_when_it_verified_the_webhook()
    {
        var order = await _saga.PlacedAsync();

        await _saga.PublishAsync(SagaHarness.VerifiedInbox(order));
        var saga = await _saga.InStateAsync(order.OrderId, m => m.Ready);

        var ready = Assert.Single(_saga.Published<InboxReady>(order.OrderId));
        Assert.Equal(("jane@agentmail.to", "jane@agentmail.to", "wh_1", order.OrderRef), (ready.InboxId, ready.InboxAddress, ready.WebhookId, ready.OrderRef));
        Assert.Empty(_saga.Sent<SubscribeInboxWebhook>(order.OrderId));
        Assert.Empty(_saga.Sent<ReconcileInboxWebhook>(order.OrderId));
        Assert.Equal(
            [(ProvisioningSteps.Inbox, "created"), (ProvisioningSteps.Webhook, "created"), (ProvisioningSteps.Reconcile, "verified")],
            saga.History.TakeLast(3).Select(h => (h.Step, h.Outcome)));
        Assert.NotNull(saga.FinishedAt);
    }

    /// <summary>The inbox step's webhook whose read-back differed goes straight to the reconcile step: the webhook step is not asked.</summary>
    [Fact]
    public async Task Should_read_the_inbox_steps_unverified_webhook_back_without_the_webhook_step()
    {
        var order = await _saga.PlacedAsync();

        await _saga.PublishAsync(SagaHarness.VerifiedInbox(order) with { WebhookVerified = false });
        var saga = await _saga.InStateAsync(order.OrderId, m => m.ReconcilingWebhook);

        Assert.Equal(new ReconcileInboxWebhook(order.OrderId, order.UserId, "jane@agentmail.to", "wh_1", 1, order.OrderRef, Run: 0), Assert.Single(_saga.Sent<ReconcileInboxWebhook>(order.OrderId)));
        Assert.Empty(_saga.Sent<SubscribeInboxWebhook>(order.OrderId));
        Assert.Empty(_saga.Published<InboxReady>(order.OrderId));
        Assert.Equal([(ProvisioningSteps.Inbox, "created"), (ProvisioningSteps.Webhook, "created")], saga.History.TakeLast(2).Select(h => (h.Step, h.Outcome)));
    }

    /// <summary>A webhook whose own read-back differed moves it on to the reconcile step's read-back.</summary>
    [Fact]
    public async Task Should_read_the_webhook_back_once_it_is_subscribed()
    {
        var order = await _saga.SubscribingAsync();

        await _saga.PublishAsync(new InboxWebhookSubscribed(order.OrderId, "wh_1", Created: true));
        var saga = await _saga.InStateAsync(order.OrderId, m => m.ReconcilingWebhook);

        Assert.Equal(new ReconcileInboxWebhook(order.OrderId, order.UserId, "jane@agentmail.to", "wh_1", 1, order.OrderRef, Run: 0), Assert.Single(_saga.Sent<ReconcileInboxWebhook>(order.OrderId)));
        Assert.Equal("wh_1", saga.WebhookId);
    }

    /// <summary>The webhook step's read-back that matched ends the saga Ready at once: no reconcile step is asked.</summary>
    [Fact]
    public async Task Should_end_ready_without_a_reconcile_step_when_the_webhook_step_verified_its_webhook()
    {
        var order = await _saga.SubscribingAsync();

        await _saga.PublishAsync(new InboxWebhookVerified(order.OrderId, "wh_1", Created: true));
        var saga = await _saga.InStateAsync(order.OrderId, m => m.Ready);

        var ready = Assert.Single(_saga.Published<InboxReady>(order.OrderId));
        Assert.Equal(("jane@agentmail.to", "wh_1", order.OrderRef), (ready.InboxId, ready.WebhookId, ready.OrderRef));
        Assert.Empty(_saga.Sent<ReconcileInboxWebhook>(order.OrderId));
        Assert.Equal(
            [(ProvisioningSteps.Webhook, "created"), (ProvisioningSteps.Reconcile, "verified")],
            saga.History.TakeLast(2).Select(h => (h.Step, h.Outcome)));
        Assert.NotNull(saga.FinishedAt);
    }

    /// <summary>A repair is read back again, with the next attempt's number; an org-wide finding is recorded as a security line.</summary>
    [Fact]
    public async Task Should_read_a_repaired_webhook_back_again()
    {
        var order = await _saga.ReconcilingAsync();

        await _saga.PublishAndAwaitAsync(new InboxWebhookRepaired(order.OrderId, "wh_2", ["org-wide"], SecurityEvent: true), order.OrderId);

        var saga = await _saga.InStateAsync(order.OrderId, m => m.ReconcilingWebhook);
        Assert.Equal(2, _saga.Sent<ReconcileInboxWebhook>(order.OrderId).Count);
        Assert.Equal(new ReconcileInboxWebhook(order.OrderId, order.UserId, "jane@agentmail.to", "wh_2", 2, order.OrderRef, Run: 0), _saga.Sent<ReconcileInboxWebhook>(order.OrderId)[^1]);
        Assert.Equal([ProvisioningSteps.Security, ProvisioningSteps.Reconcile], saga.History.TakeLast(2).Select(h => h.Step));
    }

    /// <summary>A verified read-back ends the saga Ready and publishes InboxReady.</summary>
    [Fact]
    public async Task Should_end_ready_and_publish_InboxReady_when_the_webhook_is_verified()
    {
        var order = await _saga.ReconcilingAsync();

        await _saga.PublishAsync(new InboxWebhookVerified(order.OrderId, "wh_1"));
        var saga = await _saga.InStateAsync(order.OrderId, m => m.Ready);

        Assert.True(await _saga.Harness.Published.Any<InboxReady>(m => m.Context.Message.OrderId == order.OrderId));
        var ready = Assert.Single(_saga.Published<InboxReady>(order.OrderId));
        Assert.Equal(("jane@agentmail.to", "wh_1", order.OrderRef), (ready.InboxId, ready.WebhookId, ready.OrderRef));
        Assert.NotNull(saga.FinishedAt);
    }

    /// <summary>A step that fails for good fails the saga, whichever step it was, with its reason.</summary>
    [Theory]
    [InlineData(ProvisioningSteps.Inbox)]
    [InlineData(ProvisioningSteps.Webhook)]
    [InlineData(ProvisioningSteps.Reconcile)]
    public async Task Should_fail_with_the_reason_when_a_step_fails_for_good(string step)
    {
        var order = step switch
        {
            ProvisioningSteps.Inbox => await _saga.PlacedAsync(),
            ProvisioningSteps.Webhook => await _saga.SubscribingAsync(),
            _ => await _saga.ReconcilingAsync(),
        };

        await _saga.PublishAsync(new ProvisioningStepFailed(order.OrderId, step, "AgentMail refused"));
        var saga = await _saga.InStateAsync(order.OrderId, m => m.Failed);

        Assert.True(await _saga.Harness.Published.Any<InboxProvisioningFailed>(m => m.Context.Message.OrderId == order.OrderId));
        Assert.Equal("AgentMail refused", Assert.Single(_saga.Published<InboxProvisioningFailed>(order.OrderId)).Reason);
        Assert.Equal((step, "failed"), (saga.History[^1].Step, saga.History[^1].Outcome));
    }

    /// <summary>A stuck step is asked again while it has resumes left.</summary>
    [Fact]
    public async Task Should_ask_a_stuck_step_again()
    {
        var order = await _saga.SubscribingAsync();

        await _saga.PublishAndAwaitAsync(new ResumeProvisioning(order.OrderId, DateTimeOffset.UtcNow), order.OrderId);

        Assert.Equal(ProvisioningStates.SubscribingWebhook, _saga.StateOf(order.OrderId));
        Assert.Equal(2, _saga.Sent<SubscribeInboxWebhook>(order.OrderId).Count);
        var saga = _saga.Saga.Sagas.Contains(order.OrderId);
        Assert.Equal(1, saga.Resumes);
        Assert.Equal(ProvisioningSteps.Resume, saga.History[^1].Step);
    }

    /// <summary>A step stuck past its resumes fails the saga; with an inbox, a last read-back deletes a wrong webhook.</summary>
    [Fact]
    public async Task Should_fail_a_step_stuck_past_its_resumes_and_read_the_webhook_back_one_last_time()
    {
        var order = await _saga.SubscribingAsync();
        await ResumedPastItsResumesAsync(order.OrderId);

        var saga = await _saga.InStateAsync(order.OrderId, m => m.Failed);

        Assert.Contains("webhook step did not finish", saga.FailureReason, StringComparison.Ordinal);
        var last = Assert.Single(_saga.Sent<ReconcileInboxWebhook>(order.OrderId));
        Assert.Equal(SagaHarness.MaxReconcileAttempts, last.Attempt);
        Assert.Single(_saga.Published<InboxProvisioningFailed>(order.OrderId));
    }

    /// <summary>Without an inbox there is nothing to read back on the way out.</summary>
    [Fact]
    public async Task Should_fail_a_stuck_inbox_step_without_a_last_read_back()
    {
        var order = await _saga.PlacedAsync();
        await ResumedPastItsResumesAsync(order.OrderId);

        await _saga.InStateAsync(order.OrderId, m => m.Failed);

        Assert.Empty(_saga.Sent<ReconcileInboxWebhook>(order.OrderId));
    }

    /// <summary>
    /// No step consumer answers on the harness, nor takes a command: each resume, and the failure, say that the command
    /// was never taken, so ops tell a backlog or a lost command from a step that ran and did not finish.
    /// </summary>
    [Fact]
    public async Task Should_say_that_no_consumer_took_the_command_of_a_step_it_resumes_and_fails()
    {
        var order = await _saga.PlacedAsync();
        await ResumedPastItsResumesAsync(order.OrderId);

        var saga = await _saga.InStateAsync(order.OrderId, m => m.Failed);

        Assert.Contains("inbox step did not finish", saga.FailureReason, StringComparison.Ordinal);
        Assert.Contains("no step consumer took the command", saga.FailureReason, StringComparison.Ordinal);
        Assert.All(
            saga.History.Where(h => h.Step == ProvisioningSteps.Resume),
            line => Assert.Contains("no step consumer took the command", line.Detail, StringComparison.Ordinal));
    }

    /// <summary>Ops' retry starts a Failed saga over from the inbox step, its failure cleared.</summary>
    [Fact]
    public async Task Should_start_a_failed_saga_over_when_ops_retry_it()
    {
        var order = await _saga.PlacedAsync();
        await _saga.PublishAsync(new ProvisioningStepFailed(order.OrderId, ProvisioningSteps.Inbox, "refused"));
        await _saga.InStateAsync(order.OrderId, m => m.Failed);

        await _saga.PublishAsync(new RetryProvisioning(order.OrderId));
        var saga = await _saga.InStateAsync(order.OrderId, m => m.CreatingInbox);

        Assert.Equal(2, _saga.Sent<EnsureCustomerInbox>(order.OrderId).Count);
        Assert.Null(saga.FailureReason);
        Assert.Null(saga.FinishedAt);
        Assert.Equal((0, 0), (saga.Resumes, saga.ReconcileAttempts));
        Assert.Equal(ProvisioningSteps.Retry, saga.History[^1].Step);
    }

    /// <summary>A retry of a saga that did not fail, and a resume or retry of an unknown order, change nothing.</summary>
    [Fact]
    public async Task Should_ignore_a_retry_of_a_saga_that_did_not_fail_and_messages_for_unknown_orders()
    {
        var order = await _saga.SubscribingAsync();
        var unknown = Guid.NewGuid();

        await _saga.PublishAndAwaitAsync(new RetryProvisioning(order.OrderId), order.OrderId);
        await _saga.PublishAndAwaitAsync(new ResumeProvisioning(unknown, DateTimeOffset.UtcNow), unknown);
        await _saga.PublishAndAwaitAsync(new RetryProvisioning(unknown), unknown);

        Assert.Equal(ProvisioningStates.SubscribingWebhook, _saga.StateOf(order.OrderId));
        Assert.Single(_saga.Sent<EnsureCustomerInbox>(order.OrderId));
        Assert.Null(_saga.Saga.Sagas.Contains(unknown));
    }

    /// <summary>Answers reaching a finished saga change nothing: a Ready saga stays Ready, a Failed one publishes no InboxReady.</summary>
    [Fact]
    public async Task Should_ignore_answers_reaching_a_finished_saga()
    {
        var ready = await _saga.ReconcilingAsync();
        await _saga.PublishAsync(new InboxWebhookVerified(ready.OrderId, "wh_1"));
        await _saga.InStateAsync(ready.OrderId, m => m.Ready);
        var failed = await _saga.ReconcilingAsync();
        await _saga.PublishAsync(new ProvisioningStepFailed(failed.OrderId, ProvisioningSteps.Reconcile, "refused"));
        await _saga.InStateAsync(failed.OrderId, m => m.Failed);

        await _saga.PublishAndAwaitAsync(new InboxWebhookRepaired(ready.OrderId, "wh_9", ["late"], SecurityEvent: false), ready.OrderId);
        await _saga.PublishAndAwaitAsync(new ProvisioningStepFailed(ready.OrderId, ProvisioningSteps.Reconcile, "late"), ready.OrderId, times: 1);
        await _saga.PublishAndAwaitAsync(new InboxWebhookVerified(failed.OrderId, "wh_1"), failed.OrderId);

        Assert.Equal(ProvisioningStates.Ready, _saga.StateOf(ready.OrderId));
        Assert.Equal("wh_1", _saga.Saga.Sagas.Contains(ready.OrderId).WebhookId);
        Assert.Single(_saga.Sent<ReconcileInboxWebhook>(ready.OrderId));
        Assert.Equal(ProvisioningStates.Failed, _saga.StateOf(failed.OrderId));
        Assert.Empty(_saga.Published<InboxReady>(failed.OrderId));
    }

    // The sweeper's resumes, one more than the saga has: the last one fails it.
    private async Task ResumedPastItsResumesAsync(Guid orderId)
    {
        for (var resume = 1; resume <= SagaHarness.MaxResumes + 1; resume++)
        {
            await _saga.PublishAndAwaitAsync(new ResumeProvisioning(orderId, DateTimeOffset.UtcNow), orderId, resume);
        }
    }
}
