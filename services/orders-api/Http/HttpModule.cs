using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrdersMail.OrdersApi.Paging;

namespace OrdersMail.OrdersApi.Http;

/// <summary>What every route of orders-api shares: the body limit and page cursors (snake_case JSON is every service's).</summary>
public static class HttpModule
{
    /// <summary>Registers them; the settings are checked at start.</summary>
    public static IServiceCollection AddOrdersApiHttp(this IServiceCollection services)
    {
        services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpOptions>, HttpOptionsValidator>());
        services.AddSingleton<JsonRequestBody>();
        services.AddSingleton<PageCursors>();

        // Routing answers 415 itself, before authentication or any handler runs, for a body an endpoint does not accept
        // (its Accepts metadata): that problem would otherwise say only its status.
        services.Configure<ProblemDetailsOptions>(o =>
        {
            var earlier = o.CustomizeProblemDetails;
            o.CustomizeProblemDetails = context =>
            {
                earlier?.Invoke(context);
                if (context.ProblemDetails is { Status: StatusCodes.Status415UnsupportedMediaType, Detail: null })
                {
                    context.ProblemDetails.Detail = UnsupportedMediaTypeProblem.NotJson;
                }
            };
        });
        return services;
    }
}
