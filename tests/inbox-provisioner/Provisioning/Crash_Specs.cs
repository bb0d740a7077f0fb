using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>The provisioner process killed in the middle of a saga, then started again: it finishes, with no duplicate.</summary>
public sealed class Crash_Specs(ProcessFixture fixture) : IClassFixture<ProcessFixture>
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Killed while reading the webhook back (inbox and webhook created, the read-back hanging).</summary>
    [Fact]
    public async Task Should_finish_without_duplicates_after_being_killed_mid_saga()
    {
        var settings = new Dictionary<string, string?>(fixture.Infrastructure.Settings);
        foreach (var (key, value) in ProvisionerFactory.For(fixture.Sandbox))
        {
            settings[key] = value;
        }

        await fixture.AgentMail.FaultAsync("webhooks.get", new JsonObject { ["hang"] = true });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        var first = await ProvisionerProcess.StartAsync(settings);
        await using (first)
        {
            await fixture.PublishAsync(order);
            await Eventually.Until(
                () => ProvisionerFixture.TrySagaAsync(order.OrderId, first.Client),
                saga => saga?.State == "ReconcilingWebhook",
                StepTimeout,
                "the saga to reach its read-back");
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
}
