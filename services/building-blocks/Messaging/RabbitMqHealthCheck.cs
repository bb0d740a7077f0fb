using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// Ready only while the broker answers. MassTransit's own bus check only reflects receive endpoints, so a
/// service without consumers (or whose endpoints have not noticed yet) would stay "healthy" through an
/// outage. The check asks the service's own <see cref="BrokerConnection"/>, which the client recovers by itself once
/// the broker is back, so a probe costs no new connection (and no line in the broker's log).
/// </summary>
internal sealed class RabbitMqHealthCheck(BrokerConnection broker, IOptions<RabbitMqOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await broker.OpenAsync(cancellationToken);
            return connection.IsOpen
                ? HealthCheckResult.Healthy($"RabbitMQ answers at {connection.Endpoint}")
                : new HealthCheckResult(context.Registration.FailureStatus, $"RabbitMQ connection to {connection.Endpoint} is closed: {connection.CloseReason?.ReplyText ?? "recovering"}");
        }
        catch (Exception e) when (BrokerConnection.DidNotAnswer(e))
        {
            var address = options.Value;
            return new HealthCheckResult(context.Registration.FailureStatus, $"RabbitMQ does not answer at {address.Host}:{address.Port}: {e.Message}", e);
        }
    }
}
