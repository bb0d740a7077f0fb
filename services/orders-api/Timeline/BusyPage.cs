using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OrdersMail.OrdersApi.Timeline;

/// <summary>
/// What <c>GET /orders/{id}</c> answers when the database cannot say whose the order is now (no pooled connection came
/// free, a restart), or Clerk's signing keys could not be fetched to verify the session: 503 with <c>Retry-After</c> and
/// a page saying the service is busy, which loads itself again after that long, under the page's own headers. The
/// building blocks' handler would answer a problem+json, which a browser shows as raw JSON, and never again by itself;
/// the API's routes keep that answer.
/// </summary>
public sealed partial class BusyPage(TimelineAssets assets, ILogger<BusyPage> logger)
{
    /// <summary>
    /// Seconds before the page loads itself again; <c>busy.html</c>'s meta refresh waits as long. Longer than the API's 2:
    /// a person is waiting, not a client's retry loop, and each tab asks a database that is already short of connections.
    /// </summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The busy page for the request in <paramref name="http"/>, logged as the API's 503s are.</summary>
    public ContentHttpResult Answer(HttpContext http, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Answer(http, $"the database is busy ({exception.Message})");
    }

    /// <summary>The busy page for the request in <paramref name="http"/>, logged with <paramref name="reason"/>.</summary>
    public ContentHttpResult Answer(HttpContext http, string reason)
    {
        ArgumentNullException.ThrowIfNull(http);
        LogBusy(logger, http.Request.Path, reason);
        var page = assets.PageNamed(TimelineAssets.BusyPage);
        PageHeaders.Apply(http.Response, isPage: true);
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Content(page.Text, page.ContentType, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GET {Path} answered 503 with the busy page: {Reason}")]
    private static partial void LogBusy(ILogger logger, PathString path, string reason);
}
