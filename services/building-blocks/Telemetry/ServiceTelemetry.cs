using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Telemetry;

/// <summary>
/// The service's own activity source and meter, named after the service, registered once per host, so a
/// component records its spans and metrics (outbox lag, sagas per state...) without creating its own.
/// </summary>
public sealed class ServiceTelemetry : IDisposable
{
    /// <summary>Creates the source and meter named <see cref="ServiceInfo.Name"/>.</summary>
    public ServiceTelemetry(ServiceInfo service, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(meterFactory);
        ActivitySource = new ActivitySource(service.Name);
        Meter = meterFactory.Create(service.Name);
    }

    /// <summary>Spans of the service's own work.</summary>
    public ActivitySource ActivitySource { get; }

    /// <summary>Instruments of the service's own work (disposed with the host's meter factory).</summary>
    public Meter Meter { get; }

    /// <inheritdoc />
    public void Dispose() => ActivitySource.Dispose();
}
