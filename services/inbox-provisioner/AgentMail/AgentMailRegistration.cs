using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>Registers <see cref="AgentMailClient"/> with its settings and resilience.</summary>
public static class AgentMailRegistration
{
    /// <summary>
    /// Binds <see cref="AgentMailOptions"/> from <c>InboxProvisioner:AgentMail</c> and validates them at start (each
    /// problem named by its key), and registers <see cref="AgentMailClient"/> as a typed <see cref="HttpClient"/> whose
    /// calls are counted and their failures explained by <see cref="AgentMailCallHandler"/>, outermost, and whose
    /// attempts run through the resilience handler (<see cref="AgentMailResilience"/>) inside it. Its metric goes on
    /// the service's meter when the host has one (<see cref="ServiceTelemetry"/>), else on a meter named after the service.
    /// </summary>
    public static IServiceCollection AddAgentMailClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AgentMailOptions>().BindConfiguration(AgentMailOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentMailOptions>, AgentMailOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AgentMailMetrics(
            sp.GetService<ServiceTelemetry>()?.Meter ?? sp.GetRequiredService<IMeterFactory>().Create(InboxProvisionerService.Info.Name)));
        services.TryAddTransient<AgentMailCallHandler>();
        services.AddHttpClient<AgentMailClient>((sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<AgentMailOptions>>().Value;
            http.BaseAddress = WithTrailingSlash(options.BaseUrl);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

            // The pipeline bounds each attempt (AttemptTimeout) and the retries; HttpClient's own 100 s would cut it short.
            http.Timeout = Timeout.InfiniteTimeSpan;
        })
            .AddHttpMessageHandler<AgentMailCallHandler>()
            .AddResilienceHandler(AgentMailResilience.PipelineName, AgentMailResilience.Configure);
        return services;
    }

    // "v0/inboxes" resolves below the base URL's path only when that path ends with a slash.
    private static Uri WithTrailingSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
}
