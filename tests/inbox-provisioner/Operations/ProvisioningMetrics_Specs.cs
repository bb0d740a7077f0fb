using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.InboxProvisioner.Tests.Operations;

/// <summary>What ops' dashboards read: org-wide webhooks caught (sagas per state: <see cref="SagaGauge_Specs"/>).</summary>
public sealed class ProvisioningMetrics_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    /// <summary>An org-wide webhook caught by the read-back counts as a security event.</summary>
    [Fact]
    public async Task Should_count_an_org_wide_webhook_as_a_security_event()
    {
        using var counter = new ServiceInstruments(Fixture.Provisioner!.Services, "ordersmail.provisioning.webhook.security_events");
        await Fixture.AgentMail.FaultAsync("inbox_webhooks.create", new JsonObject { ["stored_differs"] = "org_wide", ["times"] = 1 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        await Fixture.Outcomes.ReadyAsync(order.OrderId);

        Assert.Equal(1, counter.Observe().GetValueOrDefault("org_wide_webhook"));
    }
}
