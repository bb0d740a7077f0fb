using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Operations;

/// <summary>
/// The per-state gauge ops' dashboards read. It counts every saga of its provisioner, so this class has a provisioner
/// (and database) of its own, with no saga but the ones its spec starts and waits out.
/// </summary>
public sealed class SagaGauge_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The gauge counts Ready and Failed sagas once the sweeper has counted them, and says 0 for a state none is in.</summary>
    [Fact]
    public async Task Should_count_sagas_per_state()
    {
        var ready = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(ready);
        await Fixture.Outcomes.ReadyAsync(ready.OrderId);
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 422, ["times"] = 1 });
        var failed = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(failed);
        await Fixture.Outcomes.FailedAsync(failed.OrderId);
        using var gauge = new ServiceInstruments(Fixture, "ordersmail.provisioning.sagas");

        var byState = await Eventually.Until(
            () => Task.FromResult(gauge.Observe()),
            states => states.GetValueOrDefault("Ready") >= 1 && states.GetValueOrDefault("Failed") >= 1,
            Timeout,
            "the gauge to count a Ready and a Failed saga");

        Assert.Equal(0, byState["CreatingInbox"]);
    }
}
