using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrdersMail.OrdersApi.Housekeeping;

/// <summary>Background upkeep of orders-api's own tables.</summary>
public static class HousekeepingModule
{
    /// <summary>Registers the retention sweep.</summary>
    public static IServiceCollection AddHousekeeping(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RetentionSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionSweep>());
        return services;
    }
}
