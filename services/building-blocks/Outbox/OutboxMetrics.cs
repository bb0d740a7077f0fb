using System.Diagnostics.Metrics;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.OrdersApi.Outbox;

/// <summary>
/// The outbox's instruments on the service's meter: how long events wait before the broker has them, and
/// how much waits right now. The gauges report the relay's last look at the table (refreshed about once per
/// poll interval) because a gauge's callback runs on the exporter's thread and must not query the database.
/// </summary>
public sealed class OutboxMetrics
{
    /// <summary>Milliseconds from an outbox row's creation to the broker's confirm of its publish.</summary>
    public const string PublishLag = "ordersmail.outbox.publish_lag";

    /// <summary>Rows not published yet (all replicas').</summary>
    public const string Pending = "ordersmail.outbox.pending";

    /// <summary>Milliseconds the oldest pending row has waited; 0 when none waits.</summary>
    public const string OldestPendingAge = "ordersmail.outbox.oldest_pending_age";

    private readonly Histogram<double> _publishLag;
    private long _pending;
    private long _oldestPendingTicks;

    /// <summary>Creates the instruments on <see cref="ServiceTelemetry.Meter"/>.</summary>
    public OutboxMetrics(ServiceTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _publishLag = telemetry.Meter.CreateHistogram<double>(PublishLag, "ms", "Time from an outbox row's creation to the broker's confirm of its publish.");
        telemetry.Meter.CreateObservableGauge(Pending, () => Volatile.Read(ref _pending), "{message}", "Outbox rows not published yet.");
        telemetry.Meter.CreateObservableGauge(OldestPendingAge, ObserveOldestPendingAge, "ms", "How long the oldest pending outbox row has waited.");
    }

    /// <summary>Records the publish of a row created at <paramref name="createdAt"/>.</summary>
    public void RecordPublished(DateTimeOffset createdAt) =>
        _publishLag.Record(Math.Max(0, (DateTimeOffset.UtcNow - createdAt).TotalMilliseconds));

    /// <summary>Remembers what the relay last saw pending.</summary>
    public void RecordPending(long count, DateTimeOffset? oldestCreatedAt)
    {
        Volatile.Write(ref _pending, count);
        Volatile.Write(ref _oldestPendingTicks, oldestCreatedAt?.UtcTicks ?? 0);
    }

    private double ObserveOldestPendingAge()
    {
        var ticks = Volatile.Read(ref _oldestPendingTicks);
        return ticks == 0 ? 0 : Math.Max(0, (DateTimeOffset.UtcNow - new DateTimeOffset(ticks, TimeSpan.Zero)).TotalMilliseconds);
    }
}
