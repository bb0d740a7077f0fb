using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrdersMail.DeliveryTracker.OutboxRetention;

/// <summary>The mail outbox's retention: files in <c>sent/</c>, <c>failed/</c> and <c>.staging/</c> that have done their job are removed.</summary>
public static class OutboxRetentionModule
{
    /// <summary>Registers the sweep and its settings (<see cref="OutboxRetentionOptions"/>, checked at start); needs the relay's registered too.</summary>
    public static IServiceCollection AddOutboxRetention(this IServiceCollection services)
    {
        services.AddOptions<OutboxRetentionOptions>().BindConfiguration(OutboxRetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SettledEmails>();
        services.AddSingleton<OutboxRetentionSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRetentionSweep>());
        return services;
    }
}
