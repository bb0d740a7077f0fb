using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OrdersMail.BuildingBlocks.Data;
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
    /// <summary>
    /// The order's timeline for its owner, tagged (<see cref="TimelineETag"/>); 304 with no body when the request's
    /// <c>If-None-Match</c> names the tag, as the page's polls do while nothing changed.
    /// </summary>
    public static async Task<Results<Ok<OrderTimelineView>, NotModified, NotFoundProblem>> GetTimelineAsync(
        Guid id, HttpContext http, TimelineReader reader, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var timeline = await reader.FindAsync(http.User.UserId(), id, cancellationToken);
        if (timeline is null)
        {
            return new NotFoundProblem("No such order.", $"There is no order {id}.");
        }

        var tag = TimelineETag.Of(timeline, json.Value.SerializerOptions);
        var headers = http.Response.GetTypedHeaders();
        headers.ETag = tag;

        // Per user, and stale the moment anything happens to the order: a cache asks again every time, with the tag.
        headers.CacheControl = new CacheControlHeaderValue { Private = true, NoCache = true };
        return TimelineETag.IsKnownTo(http.Request, tag) ? new NotModified() : TypedResults.Ok(timeline);
    }

    /// <summary>
    /// The page for its owner (200), or the not-found page (404) for an id that is not a GUID, unknown, or someone else's;
    /// the busy page (503) when the database cannot say which now. The page holds no data: its script fetches the
    /// timeline, so this only decides which page to send.
    /// </summary>
    public static async Task<ContentHttpResult> PageAsync(
        string id, HttpContext http, ConversationStore orders, TimelineAssets assets, BusyPage busy, CancellationToken cancellationToken)
    {
        bool owned;
        try
        {
            owned = Guid.TryParse(id, out var orderId) && await orders.OrderIsOwnedAsync(orderId, http.User.UserId(), cancellationToken);
        }
        catch (Exception e) when (TransientDatabaseFailure.Is(e))
        {
            return busy.Answer(http, e);
        }

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
