using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Data.Migrations;
using OrdersMail.BuildingBlocks.Health;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Data;

/// <summary>Registers a service's PostgreSQL: its data source, its migrations, its readiness check and its 503 when busy.</summary>
public static class PostgresExtensions
{
    /// <summary>The readiness check's name in <c>/health/ready</c>.</summary>
    public const string HealthCheckName = "postgres";

    internal static IServiceCollection AddPostgres(this IServiceCollection services, ServiceInfo service)
    {
        services.AddOptions<PostgresOptions>().BindConfiguration(PostgresOptions.Section);

        // Built lazily from options, so a test host's configuration (added at Build time) is the one used.
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PostgresOptions>>().Value;
            return new NpgsqlDataSourceBuilder(options.ConnectionString(service.Name, service.Schema)).Build();
        });

        services.AddSingleton<MigrationRunner>();
        services.AddHostedService<MigrationHostedService>();

        // A request the database cannot take now is answered 503 with Retry-After (app.UseExceptionHandler, in MapDefaultEndpoints).
        services.AddProblemDetails();
        services.AddExceptionHandler<DatabaseBusyExceptionHandler>();

        services.AddHealthChecks().AddCheck<PostgresHealthCheck>(HealthCheckName, HealthStatus.Unhealthy, [HealthTags.Ready]);
        return services;
    }
}
