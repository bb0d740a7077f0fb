using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace OrdersMail.Testing.Telemetry;

/// <summary>
/// The metrics a test host exports, through OpenTelemetry's in-memory exporter: what a collector would receive over
/// OTLP, histogram buckets included. The reader exports only when a spec flushes it (its period is longer than any
/// test), so the list is written on the exporter's thread only while the flushing spec waits for it.
/// </summary>
public sealed class ExportedMetrics
{
    private readonly List<MetricSnapshot> _exported = [];

    /// <summary>Registers the in-memory exporter of a host's meter provider, writing here.</summary>
    public void ExportFrom(IServiceCollection services) =>
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(
            _exported,
            reader => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = int.MaxValue));

    /// <summary>
    /// Exports what <paramref name="host"/> recorded so far and returns the buckets of its histogram
    /// <paramref name="name"/> (its first series), each with its upper bound (+Inf for the last) and count.
    /// </summary>
    public IReadOnlyList<(double UpperBound, long Count)> HistogramBuckets(IServiceProvider host, string name)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!host.GetRequiredService<MeterProvider>().ForceFlush())
        {
            throw new InvalidOperationException("The host's meter provider did not export.");
        }

        var histogram = _exported.LastOrDefault(m => m.Name == name)
            ?? throw new InvalidOperationException($"{name} was not exported; exported: {string.Join(", ", _exported.Select(m => m.Name).Distinct())}.");
        var buckets = new List<(double, long)>();
        foreach (var bucket in histogram.MetricPoints[0].GetHistogramBuckets())
        {
            buckets.Add((bucket.ExplicitBound, bucket.BucketCount));
        }

        return buckets;
    }
}
