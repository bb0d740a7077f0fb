using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace OrdersMail.Testing.Telemetry;

/// <summary>
/// The spans a test host exports, through OpenTelemetry's in-memory exporter: what a trace viewer would receive
/// over OTLP. The exporter adds from the SDK's threads while a spec reads, so every access takes a lock.
/// </summary>
public sealed class ExportedSpanCollection : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    /// <inheritdoc />
    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <summary>Registers the in-memory exporter of a host's tracer provider, writing here.</summary>
    public void ExportFrom(IServiceCollection services) =>
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(this));

    /// <summary>A copy of every span exported so far.</summary>
    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    /// <summary>The spans exported so far in one trace.</summary>
    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => [.. Snapshot().Where(s => s.TraceId == traceId)];

    /// <inheritdoc />
    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    /// <inheritdoc />
    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    /// <inheritdoc />
    public bool Contains(Activity item) => Snapshot().Contains(item);

    /// <inheritdoc />
    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    /// <inheritdoc />
    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    /// <inheritdoc />
    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
