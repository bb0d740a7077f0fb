using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrdersMail.Integrations.Resilience;

namespace OrdersMail.Integrations.Resend;

/// <summary>Registers <see cref="ResendClient"/> with its settings and resilience.</summary>
public static class ResendRegistration
{
    /// <summary>
    /// Binds <see cref="ResendOptions"/> from <c>Resend</c> and registers <see cref="ResendClient"/> as a typed
    /// <see cref="HttpClient"/> on the resilience handler (<see cref="ResendResilience"/>), each attempt paced by the
    /// <see cref="ResendRateGate"/> below it; its counter goes on a meter
    /// named <paramref name="meterName"/> (the service's).
    /// </summary>
    public static IServiceCollection AddResendClient(this IServiceCollection services, string meterName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(meterName);
        services.AddOptions<ResendOptions>().BindConfiguration(ResendOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResendOptions>, ResendOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ResendQuota>();
        services.TryAddSingleton<ResendRateGate>();
        services.TryAddTransient<ResendRateGateHandler>();
        services.TryAddTransient<AnswerReadingHandler>();
        services.TryAddSingleton(sp => new ResendMetrics(sp.GetRequiredService<IMeterFactory>().Create(meterName)));
        var client = services.AddHttpClient<ResendClient>((sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<ResendOptions>>().Value;
            // Checked at start (ResendOptionsValidator); a client made before the host started has nowhere to go.
            var baseUrl = options.BaseUrl ?? throw new InvalidOperationException($"{ResendOptions.Section}:BaseUrl is not set.");
            http.BaseAddress = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

            // The pipeline bounds each attempt, its body read too (AnswerReadingHandler), and the retries; HttpClient's
            // own 100 s would cut it short.
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        client.AddResilienceHandler(ResendResilience.PipelineName, ResendResilience.Configure);
        client.AddHttpMessageHandler<ResendRateGateHandler>();
        client.AddHttpMessageHandler<AnswerReadingHandler>();
        return services;
    }
}
