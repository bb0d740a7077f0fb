using System.Diagnostics;
using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>
/// An AgentMail outage of a few seconds, longer than the client's own retries last, with the service's real
/// StepTimeout (2 min): the step is asked again within seconds, not by the sweeper two minutes later.
/// </summary>
public sealed class ShortOutage_Specs(ProductionDelaysFixture fixture) : FaultInjectingSpecs<ProductionDelaysFixture>(fixture), IClassFixture<ProductionDelaysFixture>
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(4);

    // The first retry's wait and the second's (2 s and 8 s, each up to 20 % longer), a look every second, and the
    // rest of the saga: far below the StepTimeout (2 min) after which the sweeper would ask.
    private static readonly TimeSpan WithinSeconds = TimeSpan.FromSeconds(20);

    /// <summary>503 to every inbox create for 4 s, then AgentMail recovers: the order is ready within seconds, with one inbox and one webhook.</summary>
    [Fact]
    public async Task Should_ask_a_step_again_within_seconds_after_a_short_outage()
    {
        var fault = await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 503, ["retry_after_seconds"] = 0 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        var clock = Stopwatch.StartNew();

        await Fixture.PublishAsync(order);
        await Task.Delay(Outage);
        var refused = await Fixture.AgentMail.RemoveFaultAsync(fault);
        var ready = await Fixture.Outcomes.ReadyAsync(order.OrderId);
        var took = clock.Elapsed;

        Assert.True(refused >= 5, $"the outage answered {refused} inbox create(s): fewer than the client's own 5 attempts, so it did not outlast them");
        Assert.True(took < WithinSeconds, $"ready {took} after the order, through a {Outage} outage: not within {WithinSeconds} (StepTimeout is {ProductionDelaysFixture.Defaults.StepTimeout})");
        Assert.Single(await Fixture.AgentMail.InboxesOfAsync(order.UserId));
        Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Contains(saga.History, h => h.Step == "deferral" && h.Outcome == "retry-scheduled");
        Assert.Contains(saga.History, h => h.Step == "deferral" && h.Outcome == "asked-again");
        Assert.DoesNotContain(saga.History, h => h.Step == "resume");
    }
}
