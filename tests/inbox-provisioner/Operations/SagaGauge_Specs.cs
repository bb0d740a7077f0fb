using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.InboxProvisioner.Tests.Operations;

/// <summary>
/// The per-state gauge ops' dashboards read. It counts every saga of its provisioner, so this class has a provisioner
/// (and database) of its own, with no saga but the ones its spec starts.
/// </summary>
public sealed class SagaGauge_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The gauge counts the sagas ops act on, a failed one and one waiting on AgentMail, and says 0 for a state none is
    /// in; a Ready saga is not counted, so the gauge has no Ready series at all.
    /// </summary>
    [Fact]
    public async Task Should_count_sagas_in_progress_and_failed_but_not_ready()
    {
        var ready = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(ready);
        await Fixture.Outcomes.ReadyAsync(ready.OrderId);
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 422, ["times"] = 1 });
        var failed = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(failed);
        await Fixture.Outcomes.FailedAsync(failed.OrderId);
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 503, ["retry_after_seconds"] = 0 });
        await Fixture.PublishAsync(ProvisionerFixture.Order(ProvisionerFixture.NewUser()));
        using var gauge = new ServiceInstruments(Fixture.Provisioner!.Services, "ordersmail.provisioning.sagas");

        var byState = await Eventually.Until(
            () => Task.FromResult(gauge.Observe()),
            states => states.GetValueOrDefault("Failed") == 1 && states.GetValueOrDefault("CreatingInbox") == 1,
            Timeout,
            "the gauge to count the failed saga and the one waiting for its inbox");

        Assert.Equal(0, byState["SubscribingWebhook"]);
        Assert.Equal(0, byState["ReconcilingWebhook"]);
        Assert.False(byState.ContainsKey("Ready"), "Ready sagas are not counted");
    }
}
