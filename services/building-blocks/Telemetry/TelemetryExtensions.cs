using MassTransit.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Telemetry;

/// <summary>
/// OpenTelemetry the standard way (OpenTelemetry.Extensions.Hosting): the ASP.NET Core, HttpClient, runtime and
/// Npgsql instrumentation, MassTransit's source and meter, and the service's own, exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured. Without an endpoint spans are still recorded, so trace ids
/// reach the logs and cross the bus.
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

        // One instance id per process, named so ops can find it (the host, then the pid systemctl status and ps show):
        // two replicas on one machine under its bare name were one metric stream, whose counters went back and forth
        // and whose gauges overwrote each other. A container's machine name is its own, so its pid 1 is no clash.
        var instanceId = $"{Environment.MachineName}-{Environment.ProcessId}";
        builder.Services.AddSingleton<ServiceTelemetry>();
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(service.Name, serviceInstanceId: instanceId))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(DiagnosticHeaders.DefaultListenerName, service.Name))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(DiagnosticHeaders.DefaultListenerName, service.Name));

        // MassTransit publishes its spans and metrics natively under one name; no instrumentation package is needed.
        if (endpoint is not null)
        {
            otel.WithLogging(configureBuilder: null, configureOptions: logs =>
            {
                logs.IncludeScopes = true;
                logs.IncludeFormattedMessage = true;
            });
            otel.UseOtlpExporter(protocol, endpoint);
        }
    }
}
