using Microsoft.AspNetCore.Http.HttpResults;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Conversation;
using OrdersMail.OrdersApi.Http;

namespace OrdersMail.OrdersApi.Timeline;

/// <summary>
/// The order timeline: <c>GET /api/orders/{id}/timeline</c> (JSON, which the page polls) and <c>GET /orders/{id}</c> (the
/// page). Both answer only the order's owner; anyone else's order reads like one that does not exist (404).
/// </summary>
internal static class TimelineEndpoints
{
    /// <summary>The order's timeline for its owner.</summary>
    public static async Task<Results<Ok<OrderTimelineView>, NotFoundProblem>> GetTimelineAsync(
        Guid id, HttpContext http, TimelineReader reader, CancellationToken cancellationToken)
    {
        var timeline = await reader.FindAsync(http.User.UserId(), id, cancellationToken);
        return timeline is null ? new NotFoundProblem("No such order.", $"There is no order {id}.") : TypedResults.Ok(timeline);
    }

    /// <summary>
    /// The page for its owner (200), or the not-found page (404) for an id that is not a GUID, unknown, or someone else's.
    /// The page holds no data: its script fetches the timeline, so this only decides which page to send.
    /// </summary>
    public static async Task<ContentHttpResult> PageAsync(
        string id, HttpContext http, ConversationStore orders, TimelineAssets assets, CancellationToken cancellationToken)
    {
        var owned = Guid.TryParse(id, out var orderId) && await orders.OrderIsOwnedAsync(orderId, http.User.UserId(), cancellationToken);
        var page = assets.PageNamed(owned ? TimelineAssets.Page : TimelineAssets.NotFoundPage);
        PageHeaders.Apply(http.Response, isPage: true);
        return TypedResults.Content(page.Text, page.ContentType, statusCode: owned ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
    }

    /// <summary>The page's stylesheet or script; they hold no data and are the same for everyone.</summary>
    public static Results<ContentHttpResult, NotFound> Asset(string file, HttpContext http, TimelineAssets assets)
    {
        if (assets.Public(file) is not { } asset)
        {
            return TypedResults.NotFound();
        }

        PageHeaders.Apply(http.Response, isPage: false);
        return TypedResults.Content(asset.Text, asset.ContentType);
    }
}
