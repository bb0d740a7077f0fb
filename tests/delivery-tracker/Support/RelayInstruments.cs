using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>
/// Listens to the <c>ordersmail.relay.*</c> instruments (or another family's, such as <c>ordersmail.delivery.</c>) of one
/// in-memory tracker host (its own meter, not another host's of the same name): counters summed by their tags,
/// histograms' recordings kept, gauges read on demand.
/// </summary>
public sealed class RelayInstruments : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counted = new();
    private readonly ConcurrentQueue<(string Instrument, string Tags, double Value)> _recorded = new();
    private readonly ConcurrentDictionary<string, long> _observed = new();

    /// <summary>Starts listening to the instruments of <paramref name="host"/> whose names start with <paramref name="family"/>.</summary>
    public RelayInstruments(IServiceProvider host, string family = "ordersmail.relay.")
    {
        var meter = host.GetRequiredService<ServiceTelemetry>().Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name.StartsWith(family, StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = Key(instrument.Name, tags);
            if (instrument is Counter<long>)
            {
                _counted.AddOrUpdate(key, value, (_, total) => total + value);
            }
            else
            {
                _observed[instrument.Name] = value;
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _recorded.Enqueue((instrument.Name, Tags(tags), value)));
        _listener.Start();
    }

    /// <summary>A counter's total since listening began, for one set of tags (<c>channel=resend,kind=order_confirmation</c>).</summary>
    public long Counted(string instrument, string tags) => _counted.GetValueOrDefault($"{instrument}{{{tags}}}");

    /// <summary>What a histogram recorded, with its tags.</summary>
    public IReadOnlyList<(string Tags, double Value)> Recorded(string instrument) =>
        [.. _recorded.Where(r => r.Instrument == instrument).Select(r => (r.Tags, r.Value))];

    /// <summary>A gauge's value as observed now.</summary>
    public long Observe(string instrument)
    {
        _observed.Clear();
        _listener.RecordObservableInstruments();
        return _observed.GetValueOrDefault(instrument, -1);
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private static string Key(string instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags) => $"{instrument}{{{Tags(tags)}}}";

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        string.Join(',', tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
}
