using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Data.Migrations;
using OrdersMail.BuildingBlocks.Housekeeping;

namespace OrdersMail.BuildingBlocks.Inbox;

/// <summary>Gives a service's consumers their memory of applied messages, in the service's own schema.</summary>
public static class ProcessedMessagesExtensions
{
    /// <summary>
    /// The <c>processed_messages</c> table, created in the schema of every service that calls
    /// <see cref="AddProcessedMessages"/> after the service's own migrations, journalled in <c>schema_migrations_inbox</c>.
    /// </summary>
    public static MigrationSource Migrations { get; } = MigrationSource.BuildingBlock("inbox", typeof(ProcessedMessagesExtensions).Assembly);

    /// <summary>
    /// Registers what <see cref="ProcessedMessages"/> needs in a service set up by <c>AddServiceDefaults</c> (call it
    /// once, after that): its table among the service's migrations, and the retention of ids consumed long ago
    /// (<c>{service section}:Retention</c>).
    /// </summary>
    public static IServiceCollection AddProcessedMessages(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(Migrations);
        services.AddRetention(new RetentionTarget("processed_messages", "processed_at < @before"));
        return services;
    }
}
