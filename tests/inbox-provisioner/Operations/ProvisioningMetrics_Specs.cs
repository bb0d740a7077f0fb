using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Operations;

/// <summary>What ops' dashboards read: sagas per state, and org-wide webhooks caught.</summary>
public sealed class ProvisioningMetrics_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The gauge counts Ready and Failed sagas once the sweeper has counted them.</summary>
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
        using var gauge = new ServiceInstruments(Fixture, "provisioning.sagas");

        var byState = await Eventually.Until(
            () => Task.FromResult(gauge.Observe()),
            states => states.GetValueOrDefault("Ready") >= 1 && states.GetValueOrDefault("Failed") >= 1,
            Timeout,
            "the gauge to count a Ready and a Failed saga");

        Assert.Equal(0, byState.GetValueOrDefault("CreatingInbox"));
    }

    /// <summary>An org-wide webhook caught by the read-back counts as a security event.</summary>
    [Fact]
    public async Task Should_count_an_org_wide_webhook_as_a_security_event()
    {
        using var counter = new ServiceInstruments(Fixture, "provisioning.webhook.security_events");
        await Fixture.AgentMail.FaultAsync("inbox_webhooks.create", new JsonObject { ["stored_differs"] = "org_wide", ["times"] = 1 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        await Fixture.Outcomes.ReadyAsync(order.OrderId);

        Assert.Equal(1, counter.Observe().GetValueOrDefault("org_wide_webhook"));
    }

    /// <summary>Listens to one instrument of the fixture's provisioner (not another host's meter of the same name), by its one tag.</summary>
    private sealed class ServiceInstruments : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _latest = new();

        public ServiceInstruments(ProvisionerFixture fixture, string name)
        {
            var meter = fixture.Provisioner!.Services.GetRequiredService<ServiceTelemetry>().Meter;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                // A counter reports increments (summed here); a gauge reports its current value.
                var key = tags.Length > 0 ? tags[0].Value?.ToString() ?? "" : "";
                if (instrument is Counter<long>)
                {
                    _latest.AddOrUpdate(key, value, (_, total) => total + value);
                }
                else
                {
                    _latest[key] = value;
                }
            });
            _listener.Start();
        }

        public Dictionary<string, long> Observe()
        {
            _listener.RecordObservableInstruments();
            return new Dictionary<string, long>(_latest);
        }

        public void Dispose() => _listener.Dispose();
    }
}
