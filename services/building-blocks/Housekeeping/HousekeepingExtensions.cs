using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Housekeeping;

/// <summary>Registers the retention sweep for the building blocks that keep bookkeeping in a service's schema.</summary>
internal static class HousekeepingExtensions
{
    /// <summary>Adds <paramref name="target"/> to the sweep, registering the sweep itself with the first one.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, RetentionTarget target)
    {
        services.AddSingleton(target);
        if (services.Any(d => d.ServiceType == typeof(RetentionSweep)))
        {
            return services;
        }

        services.AddOptions<RetentionOptions>()
            .Configure<ServiceInfo, IConfiguration>((options, service, configuration) =>
                configuration.GetSection($"{service.ConfigurationSection}:{RetentionOptions.Section}").Bind(options))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RetentionSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionSweep>());
        return services;
    }
}
