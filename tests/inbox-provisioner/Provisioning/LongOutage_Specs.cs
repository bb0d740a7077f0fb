using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>
/// An AgentMail outage that outlasts the client's retries; a class of its own, so a circuit it may open for a few
/// seconds touches no other spec.
/// </summary>
public sealed class LongOutage_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    /// <summary>
    /// Unavailable for longer than the client's retries and the step's quick retry last (the bus does not retry the
    /// command on top): the stuck-saga sweep asks the step again, and it completes once AgentMail is back. 18 answers:
    /// the client's 5 attempts in the inbox step (which leaves the webhook to the webhook step), 5 in the webhook step's
    /// first consume and 5 in its one quick retry, then 3 of the sweeper's resume.
    /// </summary>
    [Fact]
    public async Task Should_complete_after_an_outage_that_outlasts_the_retries()
    {
        await Fixture.AgentMail.FaultAsync("inbox_webhooks.create", new JsonObject { ["error_status"] = 503, ["retry_after_seconds"] = 0, ["times"] = 18 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        var ready = await Fixture.Outcomes.ReadyAsync(order.OrderId);

        Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Contains(saga.History, h => h.Step == "deferral" && h.Outcome == "left-to-sweeper");
        Assert.Contains(saga.History, h => h.Step == "resume");
        Assert.Equal("verified", saga.Steps["reconcile"]);
    }
}
