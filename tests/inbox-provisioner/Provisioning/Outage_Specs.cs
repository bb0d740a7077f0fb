using System.Diagnostics;
using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>AgentMail answering 429 or 503 for a while: the saga completes once it recovers, with nothing made twice.</summary>
public sealed class Outage_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    /// <summary>Rate limited on the inbox create: the client waits as told by Retry-After, then succeeds.</summary>
    [Fact]
    public async Task Should_wait_out_429s_as_told_and_complete()
    {
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 429, ["retry_after_seconds"] = 1, ["times"] = 2 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        var clock = Stopwatch.StartNew();

        await Fixture.PublishAsync(order);
        var ready = await Fixture.Outcomes.ReadyAsync(order.OrderId);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"two Retry-After: 1 answers were waited out in {clock.Elapsed}");
        Assert.Single(await Fixture.AgentMail.InboxesOfAsync(order.UserId));
        Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
    }

    /// <summary>A definitive refusal (4xx) is not retried: the saga fails with AgentMail's reason.</summary>
    [Fact]
    public async Task Should_fail_with_the_reason_when_AgentMail_refuses_for_good()
    {
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 422, ["times"] = 1 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        var failed = await Fixture.Outcomes.FailedAsync(order.OrderId);

        Assert.Contains("AgentMail refused the inbox", failed.Reason, StringComparison.Ordinal);
        Assert.Empty(await Fixture.AgentMail.InboxesOfAsync(order.UserId));
        Assert.Equal("failed", (await Fixture.SagaAsync(order.OrderId)).Steps["inbox"]);
    }
}
