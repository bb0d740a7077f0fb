using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.Testing.Telemetry;

/// <summary>Listens to one instrument of one in-process service (not another host's meter of the same name), by its first tag.</summary>
public sealed class ServiceInstruments : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counted = new();
    private readonly ConcurrentDictionary<string, long> _observed = new();

    /// <summary>Starts listening to <paramref name="name"/> of the service whose container is <paramref name="services"/>.</summary>
    public ServiceInstruments(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        var meter = services.GetRequiredService<ServiceTelemetry>().Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            // A counter reports increments (summed here); a gauge reports its current values.
            var key = tags.Length > 0 ? tags[0].Value?.ToString() ?? "" : "";
            if (instrument is Counter<long>)
            {
                _counted.AddOrUpdate(key, value, (_, total) => total + value);
            }
            else
            {
                _observed[key] = value;
            }
        });
        _listener.Start();
    }

    /// <summary>
    /// The counters' totals since listening began, and the gauges' values as observed now: only this observation's, so
    /// a series the gauge no longer reports is not read from an earlier one.
    /// </summary>
    public Dictionary<string, long> Observe()
    {
        _observed.Clear();
        _listener.RecordObservableInstruments();
        var values = new Dictionary<string, long>(_counted);
        foreach (var (key, value) in _observed)
        {
            values[key] = value;
        }

        return values;
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
