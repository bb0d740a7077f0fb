using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// Ready only while every receive endpoint consumes. MassTransit's own bus check calls a bus with an endpoint down
/// "Degraded", which <c>/health/ready</c> answers 200: after a broker restart the chaos scenario saw the provisioner
/// report ready for minutes while its steps' endpoints consumed nothing. Here any endpoint not healthy makes the
/// service not ready, naming it, so ops and an orchestrator see it.
/// </summary>
internal sealed class ReceiveEndpointsHealthCheck(IBusControl bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = bus.CheckHealth();
        var down = health.Endpoints
            .Where(e => e.Value.Status != BusHealthStatus.Healthy)
            .Select(e => $"{e.Key} ({e.Value.Description})")
            .ToList();
        return Task.FromResult(health.Status == BusHealthStatus.Healthy && down.Count == 0
            ? HealthCheckResult.Healthy($"{health.Endpoints.Count} receive endpoints consuming")
            : new HealthCheckResult(context.Registration.FailureStatus, down.Count == 0 ? health.Description : $"not consuming: {string.Join(", ", down)}"));
    }
}
