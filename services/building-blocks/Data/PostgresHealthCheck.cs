using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace OrdersMail.BuildingBlocks.Data;

/// <summary>
/// Ready only when the service's own database answers a query, within a short bound. It asks on a connection of its
/// own (<paramref name="dataSource"/>, <see cref="PostgresExtensions.HealthDataSourceKey"/>): in the service's pool it
/// queued behind the service's work, and a storm keeping every connection busy longer than this bound read as a
/// database that does not answer, taking the busiest replica out of rotation while it served.
/// </summary>
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
