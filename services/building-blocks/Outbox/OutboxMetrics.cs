using System.Diagnostics.Metrics;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// The outbox's instruments on the service's meter: how long events wait before the broker has them, how much
/// waits right now, and what was set aside. The gauges report the relay's last look at the table (refreshed about
/// once per poll interval) because a gauge's callback runs on the exporter's thread and must not query the database.
/// </summary>
public sealed class OutboxMetrics
{
    /// <summary>Milliseconds from an outbox row's creation to the broker's confirm of its publish.</summary>
    public const string PublishLag = "ordersmail.outbox.publish_lag";

    /// <summary>Rows not published yet (all replicas'), dead letters excepted.</summary>
    public const string Pending = "ordersmail.outbox.pending";

    /// <summary>Milliseconds the oldest pending row has waited; 0 when none waits.</summary>
    public const string OldestPendingAge = "ordersmail.outbox.oldest_pending_age";

    /// <summary>Rows this process set aside as dead letters (a counter).</summary>
    public const string DeadLettered = "ordersmail.outbox.dead_lettered";

    /// <summary>Dead letters in the table now (all replicas'), waiting for ops.</summary>
    public const string DeadLetters = "ordersmail.outbox.dead_letters";

    private readonly Histogram<double> _publishLag;
    private readonly Counter<long> _deadLettered;
    private long _pending;
    private long _oldestPendingTicks;
    private long _deadLetters;

    /// <summary>Creates the instruments on <see cref="ServiceTelemetry.Meter"/>.</summary>
    public OutboxMetrics(ServiceTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _publishLag = telemetry.Meter.CreateLatencyHistogram(PublishLag, "Time from an outbox row's creation to the broker's confirm of its publish.");
        _deadLettered = telemetry.Meter.CreateCounter<long>(DeadLettered, "{message}", "Outbox rows set aside after too many failed attempts.");
        telemetry.Meter.CreateObservableGauge(Pending, () => Volatile.Read(ref _pending), "{message}", "Outbox rows not published yet, dead letters excepted.");
        telemetry.Meter.CreateObservableGauge(OldestPendingAge, ObserveOldestPendingAge, "ms", "How long the oldest pending outbox row has waited.");
        telemetry.Meter.CreateObservableGauge(DeadLetters, () => Volatile.Read(ref _deadLetters), "{message}", "Outbox rows set aside as dead letters, waiting for ops.");
    }

    /// <summary>Records the publish of a row created at <paramref name="createdAt"/>.</summary>
    public void RecordPublished(DateTimeOffset createdAt) =>
        _publishLag.Record(Math.Max(0, (DateTimeOffset.UtcNow - createdAt).TotalMilliseconds));

    /// <summary>Counts rows the relay has just set aside.</summary>
    public void RecordDeadLettered(int count) => _deadLettered.Add(count);

    /// <summary>Remembers what the relay last saw in the table.</summary>
    public void RecordSummary(OutboxSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Volatile.Write(ref _pending, summary.Pending);
        Volatile.Write(ref _oldestPendingTicks, summary.OldestPending?.UtcTicks ?? 0);
        Volatile.Write(ref _deadLetters, summary.DeadLetters);
    }

    private double ObserveOldestPendingAge()
    {
        var ticks = Volatile.Read(ref _oldestPendingTicks);
        return ticks == 0 ? 0 : Math.Max(0, (DateTimeOffset.UtcNow - new DateTimeOffset(ticks, TimeSpan.Zero)).TotalMilliseconds);
    }
}
