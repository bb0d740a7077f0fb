using System.Diagnostics;
using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>
/// An AgentMail outage of a few seconds, longer than the client's own retries last, with the service's real
/// StepTimeout (2 min): the step is asked again within seconds, not by the sweeper two minutes later.
/// </summary>
public sealed class ShortOutage_Specs(ProductionDelaysFixture fixture) : FaultInjectingSpecs<ProductionDelaysFixture>(fixture), IClassFixture<ProductionDelaysFixture>
{
    // Every attempt of one call: the client's first and its 4 retries.
    private const int ClientAttempts = 5;

    // The outage lasts on a little after the client gave up, as a real one would.
    private static readonly TimeSpan OutageAfterGivingUp = TimeSpan.FromSeconds(2);

    // At worst the first retry (2 s, up to 20 % later) still meets the outage and the second (8 s, up to 20 % later)
    // asks, with a look every second: far below the StepTimeout (2 min) after which the sweeper would ask.
    private static readonly TimeSpan WithinSeconds = TimeSpan.FromSeconds(20);

    /// <summary>
    /// 503 to every inbox create until the client has given up on its first call, and 2 s longer; then AgentMail
    /// recovers: the order is ready within seconds, with one inbox and one webhook.
    /// </summary>
    [Fact]
    public async Task Should_ask_a_step_again_within_seconds_after_a_short_outage()
    {
        var fault = await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 503, ["retry_after_seconds"] = 0 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        await Eventually.Until(
            () => Fixture.AgentMail.AppliedAsync(fault),
            refused => refused >= ClientAttempts,
            TimeSpan.FromSeconds(60),
            "the outage to refuse every attempt of the client's first inbox create");
        await Task.Delay(OutageAfterGivingUp);
        await Fixture.AgentMail.RemoveFaultAsync(fault);
        var sinceRecovery = Stopwatch.StartNew();
        var ready = await Fixture.Outcomes.ReadyAsync(order.OrderId);

        Assert.True(
            sinceRecovery.Elapsed < WithinSeconds,
            $"ready {sinceRecovery.Elapsed} after AgentMail recovered: not within {WithinSeconds} (StepTimeout is {ProductionDelaysFixture.Defaults.StepTimeout})");
        Assert.Single(await Fixture.AgentMail.InboxesOfAsync(order.UserId));
        Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Contains(saga.History, h => h.Step == "deferral" && h.Outcome == "retry-scheduled");
        Assert.Contains(saga.History, h => h.Step == "deferral" && h.Outcome == "asked-again");
        Assert.DoesNotContain(saga.History, h => h.Step == "resume");
    }
}
