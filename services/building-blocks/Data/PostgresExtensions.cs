using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Data.Migrations;
using OrdersMail.BuildingBlocks.Health;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Data;

/// <summary>Registers a service's PostgreSQL: its data source, its migrations, its readiness check (on a connection of its own) and its 503 when busy.</summary>
public static class PostgresExtensions
{
    /// <summary>The database check's name in <c>/health/ready</c> and <c>/health/serving</c>.</summary>
    public const string HealthCheckName = "postgres";

    /// <summary>
    /// The key of the health check's data source: a pool of one connection, named <c>&lt;service&gt;-health</c> in
    /// <c>pg_stat_activity</c>, that the service's work cannot take.
    /// </summary>
    internal const string HealthDataSourceKey = "postgres-health";

    internal static IServiceCollection AddPostgres(this IServiceCollection services, ServiceInfo service)
    {
        services.AddOptions<PostgresOptions>().BindConfiguration(PostgresOptions.Section)
            .Validate(o => o.Port is > 0 and <= PostgresOptions.HighestPort, $"{PostgresOptions.Section}:Port must be between 1 and {PostgresOptions.HighestPort}.")
            .Validate(
                o => o.MaxPoolSize is > 0 and <= PostgresOptions.MostConnections,
                $"{PostgresOptions.Section}:MaxPoolSize must be between 1 and {PostgresOptions.MostConnections}: the server refuses connections past its max_connections.")
            .Validate(
                o => o.MaxAutoPrepare is >= 0 and <= PostgresOptions.MostPrepared,
                $"{PostgresOptions.Section}:MaxAutoPrepare must be between 0 and {PostgresOptions.MostPrepared}.")
            .Validate(
                o => o.ConnectionTimeout > TimeSpan.Zero && o.ConnectionTimeout <= PostgresOptions.LongestConnectionTimeout,
                $"{PostgresOptions.Section}:ConnectionTimeout must be more than 0 and at most {PostgresOptions.LongestConnectionTimeout:c}: a request waits that long for a connection.")
            .Validate(
                o => o.StartupTimeout >= PostgresOptions.ShortestStartupTimeout && o.StartupTimeout <= PostgresOptions.LongestStartupTimeout,
                $"{PostgresOptions.Section}:StartupTimeout must be from {PostgresOptions.ShortestStartupTimeout:c} to {PostgresOptions.LongestStartupTimeout:c}: "
                + "the host waits that long for its database before it gives up.")
            .ValidateOnStart();

        // Built lazily from options, so a test host's configuration (added at Build time) is the one used.
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PostgresOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString(service.Name, service.Schema));

            // Only commands that belong to a trace are traced. The rest are background polls (each relay's claim, the
            // routing pump's and the sweepers' scans): every second in every service each would be a trace of one span,
            // burying the traces of orders and emails in the trace viewer, and costing an export each. Their durations
            // stay in Npgsql's metrics. The first-response event of every command span is not read by anyone.
            builder.ConfigureTracing(tracing => tracing
                .ConfigureCommandFilter(_ => Activity.Current is not null)
                .ConfigureBatchFilter(_ => Activity.Current is not null)
                .EnableFirstResponseEvent(false));
            return builder.Build();
        });

        // The health check's connection, beside the service's pool: a busy pool is a service at work, not a database
        // that does not answer. One connection more per process; the container disposes it with the host.
        services.AddKeyedSingleton(HealthDataSourceKey, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptions<PostgresOptions>>().Value;
            var connectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString($"{service.Name}-health", service.Schema)) { MaxPoolSize = 1 };
            var builder = new NpgsqlDataSourceBuilder(connectionString.ConnectionString);

            // A probe every few seconds is no trace anyone reads.
            builder.ConfigureTracing(tracing => tracing.ConfigureCommandFilter(_ => false));
            return builder.Build();
        });

        services.AddSingleton<MigrationRunner>();
        services.AddHostedService<MigrationHostedService>();

        // A request the database cannot take now is answered 503 with Retry-After (app.UseExceptionHandler, in MapDefaultEndpoints;
        // the problem writer is the service defaults').
        services.AddExceptionHandler<DatabaseBusyExceptionHandler>();

        services.AddHealthChecks().Add(new HealthCheckRegistration(
            HealthCheckName,
            sp => new PostgresHealthCheck(sp.GetRequiredKeyedService<NpgsqlDataSource>(HealthDataSourceKey)),
            HealthStatus.Unhealthy,
            [HealthTags.Ready, HealthTags.Serving]));
        return services;
    }
}
