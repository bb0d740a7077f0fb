using System.Diagnostics;
using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>The provisioner process killed in the middle of a saga, then started again: it finishes, with no duplicate, and without waiting for the sweeper.</summary>
public sealed class Crash_Specs(ProcessFixture fixture) : IClassFixture<ProcessFixture>
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Killed while the inbox step reads its webhook back (inbox and webhook created and recorded, the read-back hanging).</summary>
    [Fact]
    public async Task Should_finish_without_duplicates_after_being_killed_mid_saga()
    {
        var settings = Settings();
        await fixture.AgentMail.FaultAsync("webhooks.get", new JsonObject { ["hang"] = true });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        var first = await ProvisionerProcess.StartAsync(settings);
        await using (first)
        {
            await fixture.PublishAsync(order);
            // The inbox step's read-back hangs: the inbox and its webhook are created and recorded, the step not finished.
            await Eventually.Until(
                async () => await ProvisionerFixture.TrySagaAsync(order.OrderId, first.Client) is { State: "CreatingInbox" }
                    && await fixture.AgentMail.InboxesOfAsync(order.UserId) is [var inbox]
                    ? (await fixture.AgentMail.WebhooksReachingAsync(inbox["inbox_id"]!.GetValue<string>())).Count
                    : 0,
                webhooks => webhooks == 1,
                StepTimeout,
                "the inbox step to reach its webhook's read-back");
            await first.KillAsync();
        }

        await fixture.AgentMail.ClearFaultsAsync();
        await using var second = await ProvisionerProcess.StartAsync(settings);
        var ready = await fixture.Outcomes.ReadyAsync(order.OrderId);

        Assert.Single(await fixture.AgentMail.InboxesOfAsync(order.UserId));
        var webhook = Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Equal(ready.WebhookId, webhook["webhook_id"]!.GetValue<string>());
        Assert.Empty(await fixture.AgentMail.OrgWideWebhooksAsync());
        var saga = await fixture.SagaAsync(order.OrderId, second.Client);
        Assert.Equal("Ready", saga.State);
        Assert.Single(saga.History, h => h.Step == "inbox");
        Assert.Single(saga.History, h => h.Step == "webhook");
    }

    /// <summary>
    /// Killed while a deferred step waits for its retry (AgentMail refused the inbox create through the client's
    /// retries), with the service's own StepTimeout (2 min): the retry's time is in the saga's row, so the next process
    /// asks the step again within seconds, not the sweeper minutes later.
    /// </summary>
    [Fact]
    public async Task Should_still_retry_a_deferred_step_within_seconds_after_being_killed_while_it_waits()
    {
        var settings = Settings(ProductionDelaysFixture.Timing);
        var fault = await fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 503, ["retry_after_seconds"] = 0 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        var first = await ProvisionerProcess.StartAsync(settings);
        await using (first)
        {
            await fixture.PublishAsync(order);
            await Eventually.Until(
                () => ProvisionerFixture.TrySagaAsync(order.OrderId, first.Client),
                saga => saga?.RetryAt is not null,
                StepTimeout,
                "the inbox step to be deferred");
            await first.KillAsync();
        }

        var sinceKill = Stopwatch.StartNew();
        await fixture.AgentMail.RemoveFaultAsync(fault);
        await using var second = await ProvisionerProcess.StartAsync(settings);
        var ready = await fixture.Outcomes.ReadyAsync(order.OrderId);

        Assert.True(sinceKill.Elapsed < TimeSpan.FromMinutes(1), $"ready {sinceKill.Elapsed} after the kill: the retry waited for the sweeper (StepTimeout {ProductionDelaysFixture.Defaults.StepTimeout})");
        Assert.Single(await fixture.AgentMail.InboxesOfAsync(order.UserId));
        Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        var saga = await fixture.SagaAsync(order.OrderId, second.Client);
        Assert.Contains(saga.History, h => h.Step == "deferral" && h.Outcome == "asked-again");
        Assert.DoesNotContain(saga.History, h => h.Step == "resume");
    }

    // The infrastructure's settings, the test provisioner's, then the spec's own.
    private Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(fixture.Infrastructure.Settings);
        foreach (var (key, value) in ProvisionerFactory.For(fixture.Sandbox, overrides))
        {
            settings[key] = value;
        }

        return settings;
    }
}
