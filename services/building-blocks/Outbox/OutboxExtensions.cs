using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Data.Migrations;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Housekeeping;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>Gives a service a transactional outbox in its own schema.</summary>
public static class OutboxExtensions
{
    /// <summary>
    /// The outbox's table (<c>outbox_messages</c>), created in the schema of every service that calls
    /// <see cref="AddOutbox"/> after the service's own migrations, journalled in <c>schema_migrations_outbox</c>.
    /// </summary>
    public static MigrationSource Migrations { get; } = MigrationSource.BuildingBlock("outbox", typeof(OutboxExtensions).Assembly);

    /// <summary>
    /// Registers the outbox of a service set up by <c>AddServiceDefaults</c> (call it once, after that): its table
    /// among the service's migrations, the <see cref="OutboxWriter"/> the service writes events with inside its own
    /// transactions, the <see cref="OutboxRelay"/> as a hosted service, its metrics, and the retention of rows published
    /// long ago. Options: <c>{service section}:Outbox</c> (<see cref="OutboxOptions"/>).
    /// </summary>
    /// <param name="services">The service's services.</param>
    /// <param name="messages">The messages the outbox carries.</param>
    public static IServiceCollection AddOutbox(this IServiceCollection services, OutboxMessageTypes messages)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(messages);
        services.AddOptions<OutboxOptions>()
            .Configure<ServiceInfo, IConfiguration>((options, service, configuration) =>
                configuration.GetSection($"{service.ConfigurationSection}:{OutboxOptions.Section}").Bind(options))
            .Validate(
                o => o.IsValid,
                $"{OutboxOptions.Section}: BatchSize, PollInterval, PublishTimeout, MinBackoff and MaxAttempts must be positive, ClaimLease at least twice PublishTimeout, and MaxBackoff at least MinBackoff.")
            .Validate(
                o => o.PollInterval <= OutboxOptions.LongestWait && o.PublishTimeout <= OutboxOptions.LongestWait && o.MaxBackoff <= OutboxOptions.LongestWait,
                $"{OutboxOptions.Section}:PollInterval, PublishTimeout and MaxBackoff must be at most {OutboxOptions.LongestWait:c}: rows another replica committed, "
                + "or the backlog of a broker outage, wait that long.")
            .ValidateOnStart();
        services.AddSingleton(Migrations);
        services.AddSingleton(messages);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<OutboxMetrics>();
        services.AddHostedService<OutboxRelay>();

        // created_at < @before is implied (a row is published after it is written); it lets the BRIN index on
        // created_at (migration 0004) narrow the sweep to the oldest pages instead of the whole table.
        services.AddRetention(new RetentionTarget("outbox_messages", "published_at is not null and published_at < @before and created_at < @before"));
        return services;
    }
}
