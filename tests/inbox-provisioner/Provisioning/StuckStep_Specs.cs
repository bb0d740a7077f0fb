using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>
/// A step stuck past its time (here: the webhook's read-back, unanswered for longer than every retry lasts) fails the
/// saga, and the failure's last step reads the webhook back once more and deletes it if it is wrong. AgentMail
/// unavailable for good still ends that way: the step's quick retries are used up, then the sweeper has it.
/// </summary>
public sealed class StuckStep_Specs(NoResumeFixture fixture) : FaultInjectingSpecs<NoResumeFixture>(fixture), IClassFixture<NoResumeFixture>
{
    // Every attempt of the inbox step's own read-back, of the reconcile step's first and of its one quick retry: the
    // client's 5 (MaxRetries 4) each; the bus does not retry an unavailable AgentMail on top, so the next call is the
    // failed saga's final read-back.
    internal const int FirstReadBackAttempts = 15;

    // The failed saga's final read-back, the client's 5 attempts.
    private const int FinalReadBackAttempts = 5;

    /// <summary>The stored webhook was org-wide; the read-back never came; the failed saga still leaves no org-wide webhook.</summary>
    [Fact]
    public async Task Should_fail_a_stuck_read_back_and_delete_an_org_wide_webhook_on_the_way_out()
    {
        await Fixture.AgentMail.FaultAsync("inbox_webhooks.create", new JsonObject { ["stored_differs"] = "org_wide", ["times"] = 1 });
        await Fixture.AgentMail.FaultAsync("webhooks.get", new JsonObject { ["error_status"] = 503, ["retry_after_seconds"] = 0, ["times"] = FirstReadBackAttempts });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        var failed = await Fixture.Outcomes.FailedAsync(order.OrderId);

        Assert.Contains("reconcile step did not finish", failed.Reason, StringComparison.Ordinal);
        await OrdersMail.Testing.Eventually.Until(
            () => Fixture.AgentMail.OrgWideWebhooksAsync(),
            orgWide => orgWide.Count == 0,
            TimeSpan.FromSeconds(30),
            "the org-wide webhook to be deleted by the failed saga's final read-back");
        Assert.Equal("Failed", (await Fixture.SagaAsync(order.OrderId)).State);
    }

    /// <summary>
    /// AgentMail still unavailable for the failed saga's final read-back: it is deferred and retried, and the retry
    /// deletes the org-wide webhook, instead of leaving it to the webhook watch minutes later.
    /// </summary>
    [Fact]
    public async Task Should_retry_a_final_read_back_AgentMail_was_unavailable_for_and_still_delete_an_org_wide_webhook()
    {
        await Fixture.AgentMail.FaultAsync("inbox_webhooks.create", new JsonObject { ["stored_differs"] = "org_wide", ["times"] = 1 });
        await Fixture.AgentMail.FaultAsync("webhooks.get", new JsonObject { ["error_status"] = 503, ["retry_after_seconds"] = 0, ["times"] = FirstReadBackAttempts + FinalReadBackAttempts });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        await Fixture.Outcomes.FailedAsync(order.OrderId);

        await OrdersMail.Testing.Eventually.Until(
            () => Fixture.AgentMail.OrgWideWebhooksAsync(),
            orgWide => orgWide.Count == 0,
            TimeSpan.FromSeconds(30),
            "the org-wide webhook to be deleted by the retry of the failed saga's final read-back");
        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Equal("Failed", saga.State);
        Assert.Equal(
            ["retry-scheduled", "asked-again"],
            saga.History.SkipWhile(h => h.Outcome != "failed").Where(h => h.Step == "deferral").Select(h => h.Outcome));
    }

    /// <summary>
    /// AgentMail unavailable for good: the inbox step is asked again after its retry (the test provisioner has one),
    /// then left to the sweeper, which fails the saga (no resumes here) with the reason, as before step retries.
    /// </summary>
    [Fact]
    public async Task Should_fail_a_step_AgentMail_stays_unavailable_for_after_its_retries_and_the_sweeper()
    {
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 503, ["retry_after_seconds"] = 0 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        var failed = await Fixture.Outcomes.FailedAsync(order.OrderId);

        Assert.Contains("inbox step did not finish", failed.Reason, StringComparison.Ordinal);
        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Equal(
            ["retry-scheduled", "asked-again", "left-to-sweeper"],
            saga.History.Where(h => h.Step == "deferral").Select(h => h.Outcome));
        Assert.Equal("failed", saga.Steps["inbox"]);
        Assert.Empty(await Fixture.AgentMail.InboxesOfAsync(order.UserId));
    }
}
