using Microsoft.AspNetCore.Authorization;
namespace OrdersMail.OrdersApi.Timeline;

/// <summary>The order timeline page and the JSON it polls.</summary>
public static class TimelineModule
{
    /// <summary>Where the page is: <c>/orders/{id}</c>.</summary>
    public const string PageRoute = "/orders";

    /// <summary>Where the page's stylesheet and script are served from.</summary>
    public const string AssetsRoute = "/timeline-assets";

    /// <summary>Registers the reader, the embedded files and the signed-out page (after <c>AddAuthorization</c>, whose default handler it wraps).</summary>
    public static IServiceCollection AddTimeline(this IServiceCollection services)
    {
        services.AddSingleton<TimelineReader>();
        services.AddSingleton<TimelineAssets>();
        services.AddSingleton<BusyPage>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, SignedOutPageHandler>();
        return services;
    }

    /// <summary>Maps <c>GET /api/orders/{id}/timeline</c> in the orders group.</summary>
    public static RouteGroupBuilder MapTimeline(this RouteGroupBuilder orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        orders.MapGet("/{id:guid}/timeline", TimelineEndpoints.GetTimelineAsync)
            .WithTags("Timeline")
            .WithName("GetOrderTimeline")
            .WithSummary("Everything known about the order: the order, a timeline of what happened, and its conversation.")
            .WithEntityTagHeaders();
        return orders;
    }

    /// <summary>Maps the page, behind the same authorization as the API, and its files, which hold no data.</summary>
    public static IEndpointRouteBuilder MapTimelinePage(this IEndpointRouteBuilder app)
    {
        app.MapGet($"{PageRoute}/{{id}}", TimelineEndpoints.PageAsync)
            .RequireAuthorization()
            .WithMetadata(new HtmlSignInPage())
            .WithTags("Timeline")
            .WithName("GetOrderTimelinePage")
            .WithSummary("The order's timeline as an HTML page for people; it polls GET /api/orders/{id}/timeline.")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .Produces<string>(StatusCodes.Status401Unauthorized, "text/html")
            .Produces<string>(StatusCodes.Status404NotFound, "text/html")
            .ProducesBusyPage();
        app.MapGet($"{AssetsRoute}/{{file}}", TimelineEndpoints.Asset).ExcludeFromDescription();
        return app;
    }
}
