using System.Diagnostics.Metrics;
using OrdersMail.BuildingBlocks.Outbox;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>Listens to the outbox instruments of one meter.</summary>
internal sealed class OutboxMeterListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, double> _observed = [];
    private readonly Lock _lock = new();
    private readonly List<double> _lags = [];
    private long _deadLettered;

    public OutboxMeterListener(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && instrument.Name.StartsWith("ordersmail.outbox.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Record(instrument.Name, value));
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Record(instrument.Name, value));
        _listener.Start();
    }

    public int LagCount
    {
        get
        {
            lock (_lock)
            {
                return _lags.Count;
            }
        }
    }

    public double LagMinimum
    {
        get
        {
            lock (_lock)
            {
                return _lags.Min();
            }
        }
    }

    /// <summary>The sum of the dead-lettered counter's increments.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Reads the observable gauges now and returns the last value of <paramref name="instrument"/>.</summary>
    public double Observe(string instrument)
    {
        _listener.RecordObservableInstruments();
        lock (_lock)
        {
            return _observed.GetValueOrDefault(instrument, double.NaN);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(string instrument, double value)
    {
        lock (_lock)
        {
            switch (instrument)
            {
                case OutboxMetrics.PublishLag:
                    _lags.Add(value);
                    break;
                case OutboxMetrics.DeadLettered:
                    Interlocked.Add(ref _deadLettered, (long)value);
                    break;
                default:
                    _observed[instrument] = value;
                    break;
            }
        }
    }
}
