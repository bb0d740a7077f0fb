using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrdersMail.Integrations.Resilience;

namespace OrdersMail.Integrations.AgentMail;

/// <summary>Registers <see cref="AgentMailClient"/> with its settings and resilience.</summary>
public static class AgentMailRegistration
{
    /// <summary>
    /// Binds <see cref="AgentMailOptions"/> from <paramref name="configurationSection"/> (the host's own, e.g.
    /// <c>InboxProvisioner:AgentMail</c>) and validates them at start, each problem named by its key there; registers
    /// <see cref="AgentMailClient"/> as a typed <see cref="HttpClient"/> whose calls are counted and their failures
    /// explained by <see cref="AgentMailCallHandler"/>, outermost, and whose attempts run through the resilience
    /// handler (<see cref="AgentMailResilience"/>) inside it. Its metric goes on the meter named
    /// <paramref name="meterName"/>, which the host exports (the service's own: <see cref="IMeterFactory"/> hands every
    /// caller of one name the same meter).
    /// </summary>
    public static IServiceCollection AddAgentMailClient(this IServiceCollection services, string configurationSection, string meterName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(configurationSection);
        ArgumentException.ThrowIfNullOrWhiteSpace(meterName);
        services.AddOptions<AgentMailOptions>().BindConfiguration(configurationSection).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentMailOptions>>(new AgentMailOptionsValidator(configurationSection)));
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AgentMailMetrics(sp.GetRequiredService<IMeterFactory>().Create(meterName)));
        services.TryAddTransient<AgentMailCallHandler>();
        services.TryAddTransient<AnswerReadingHandler>();
        var client = services.AddHttpClient<AgentMailClient>((sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<AgentMailOptions>>().Value;
            // Checked at start (AgentMailOptionsValidator); a client made before the host started has nowhere to go.
            http.BaseAddress = WithTrailingSlash(options.BaseUrl ?? throw new InvalidOperationException($"{configurationSection}:BaseUrl is not set."));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

            // The pipeline bounds each attempt (AttemptTimeout), its body read too (AnswerReadingHandler), and the retries;
            // HttpClient's own 100 s would cut it short.
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        client.AddHttpMessageHandler<AgentMailCallHandler>();
        client.AddResilienceHandler(AgentMailResilience.PipelineName, AgentMailResilience.Configure);
        client.AddHttpMessageHandler<AnswerReadingHandler>();
        return services;
    }

    // "v0/inboxes" resolves below the base URL's path only when that path ends with a slash.
    private static Uri WithTrailingSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
}
