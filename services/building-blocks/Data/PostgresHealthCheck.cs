using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Data;

/// <summary>Ready only when the service's own database answers a query, within a short bound.</summary>
internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL does not answer: {e.Message}", e);
        }
    }
}
