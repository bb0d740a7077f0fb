using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Telemetry;

/// <summary>
/// OpenTelemetry set up by hand (OpenTelemetry.Extensions.Hosting does not restore here): one SDK instance
/// per process listening to the framework sources and the service's own, exporting over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured. Without an endpoint spans are still recorded, so trace
/// ids reach the logs and cross the bus.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The standard OpenTelemetry variable naming the collector; when absent nothing is exported.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The standard OpenTelemetry variable choosing <c>grpc</c> (the default, port 4317) or <c>http/protobuf</c> (port 4318).</summary>
    public const string OtlpProtocolKey = "OTEL_EXPORTER_OTLP_PROTOCOL";

    internal static void AddTelemetry(this IHostApplicationBuilder builder, ServiceInfo service)
    {
        // Read from the host's configuration (not only the process environment, which is all the SDK
        // would look at), so the endpoint can also come from appsettings or ORDERSMAIL_ variables.
        var endpoint = builder.Configuration[OtlpEndpointKey] is { Length: > 0 } url ? new Uri(url) : null;
        var protocol = builder.Configuration[OtlpProtocolKey] == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;

        builder.Services.AddSingleton<ServiceTelemetry>();
        builder.Services.AddSingleton(sp => OpenTelemetrySdk.Create(otel =>
        {
            otel.ConfigureResource(r => r.AddService(service.Name, serviceInstanceId: Environment.MachineName));
            otel.WithTracing(t => t.AddSource([.. TelemetrySources.ActivitySources, service.Name]));
            otel.WithMetrics(m => m.AddMeter([.. TelemetrySources.Meters, service.Name]));
            if (endpoint is not null)
            {
                otel.UseOtlpExporter(protocol, endpoint);
            }
        }));

        // Resolving the SDK starts its listeners; this runs first among the hosted services so the
        // migration, the bus and the first request are all traced. DI disposes (flushes) it at shutdown.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, TelemetryStarter>());

        if (endpoint is not null)
        {
            builder.Logging.AddOpenTelemetry(logs =>
            {
                logs.IncludeScopes = true;
                logs.IncludeFormattedMessage = true;
                logs.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(service.Name, serviceInstanceId: Environment.MachineName));
                logs.AddOtlpExporter(o =>
                {
                    o.Protocol = protocol;
                    o.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint, "v1/logs") : endpoint;
                });
            });
        }
    }

    private sealed class TelemetryStarter(OpenTelemetrySdk sdk) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(sdk);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
