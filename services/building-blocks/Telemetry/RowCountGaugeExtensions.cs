using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace OrdersMail.BuildingBlocks.Telemetry;

/// <summary>Registers a host's row-count gauges, all of them counted by one <see cref="RowCountGaugeRefresher"/>.</summary>
public static class RowCountGaugeExtensions
{
    /// <summary>Registers <typeparamref name="TGauge"/>, one instance, as itself and as one of the gauges the refresher counts.</summary>
    public static IServiceCollection AddRowCountGauge<TGauge>(this IServiceCollection services)
        where TGauge : RowCountGauge
    {
        services.AddSingleton<TGauge>();
        services.AddSingleton<RowCountGauge>(sp => sp.GetRequiredService<TGauge>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RowCountGaugeRefresher>());
        return services;
    }
}
