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
/// <c>/health/serving</c>: every check tagged <see cref="HealthTags.Serving"/> passes (PostgreSQL answers), what the
/// service's HTTP routes need. A load balancer gates traffic on it: while the broker is away orders and webhooks are
/// still taken, into the outbox and the received events, which is what those tables are for; <c>/health/ready</c>
/// would take every service out of rotation for the outage and turn it into refused orders and webhooks.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Liveness path.</summary>
    public const string LivePath = "/health/live";

    /// <summary>Readiness path: the whole service, its consumers included.</summary>
    public const string ReadyPath = "/health/ready";

    /// <summary>The path that says whether the service's HTTP routes can be served.</summary>
    public const string ServingPath = "/health/serving";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    internal static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteReport });
        endpoints.MapHealthChecks(ReadyPath, Tagged(HealthTags.Ready));
        endpoints.MapHealthChecks(ServingPath, Tagged(HealthTags.Serving));
        return endpoints;
    }

    private static HealthCheckOptions Tagged(string tag) => new()
    {
        Predicate = c => c.Tags.Contains(tag),
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = WriteReport,
    };

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
