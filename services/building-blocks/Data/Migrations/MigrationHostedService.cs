using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Hosting;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace OrdersMail.BuildingBlocks.Data.Migrations;

/// <summary>
/// Migrates the service's schema before anything else starts (it is registered before the bus, and hosted
/// services start in order), so no consumer or endpoint ever sees an old schema. A database that is still
/// starting is waited for, within <see cref="PostgresOptions.StartupTimeout"/>; after that the host fails to
/// start with the reason, rather than serving on a schema it could not check.
/// </summary>
/// <param name="service">Whose schema, and its own migrations.</param>
/// <param name="buildingBlocks">The migrations of the building blocks the service registered (AddOutbox...), for its schema.</param>
/// <param name="runner">Applies them.</param>
/// <param name="options">How long the database may take to answer.</param>
/// <param name="logger">Where waiting for it is reported.</param>
internal sealed partial class MigrationHostedService(
    ServiceInfo service,
    IEnumerable<MigrationSource> buildingBlocks,
    MigrationRunner runner,
    IOptions<PostgresOptions> options,
    ILogger<MigrationHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The service's own migrations first: orders-api's created the outbox tables before they moved into the
        // building blocks, whose scripts therefore only create what is not there yet (see Outbox/Migrations).
        MigrationSource[] sources = [MigrationSource.Service(Migration.LoadFrom(service.ComponentsAssembly)), .. buildingBlocks];
        var timeout = options.Value.StartupTimeout;

        var pipeline = new ResiliencePipelineBuilder()
            .AddTimeout(new TimeoutStrategyOptions { Timeout = timeout })
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(e => e.IsTransient),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(5),
                UseJitter = true,
                OnRetry = args =>
                {
                    LogWaiting(logger, service.Schema, args.AttemptNumber + 1, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        try
        {
            await pipeline.ExecuteAsync(async ct => await runner.MigrateAsync(service.Schema, sources, timeout, ct), cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            throw new InvalidOperationException(
                $"{service.Name} could not migrate schema '{service.Schema}' within {timeout.TotalSeconds:0} s: PostgreSQL at " +
                $"{options.Value.Host}:{options.Value.Port} did not answer, or a migration ran longer. Is it running " +
                "(deploy/local/infra.sh status)? A migration over a large table needs a longer Postgres:StartupTimeout.", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schema {Schema}: database not reachable yet (attempt {Attempt}): {Reason}")]
    private static partial void LogWaiting(ILogger logger, string schema, int attempt, string? reason);
}
