using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrdersMail.BuildingBlocks.Health;

/// <summary>
/// <c>/health/live</c>: the process serves requests (no dependency is asked, so a database outage never
/// gets a healthy process restarted). <c>/health/ready</c>: every check tagged <see cref="HealthTags.Ready"/>
/// passes (PostgreSQL answers, the bus is connected, every receive endpoint consumes); 503 otherwise, with a body saying
/// which check failed. A degraded check counts as failed: MassTransit calls a bus with one endpoint down "Degraded", and
/// after a broker restart the chaos scenario saw the provisioner answer 200 for minutes while its steps consumed nothing.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Liveness path.</summary>
    public const string LivePath = "/health/live";

    /// <summary>Readiness path.</summary>
    public const string ReadyPath = "/health/ready";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    internal static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteReport });
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(HealthTags.Ready),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteReport,
        });
        return endpoints;
    }

    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            duration_ms = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                duration_ms = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
