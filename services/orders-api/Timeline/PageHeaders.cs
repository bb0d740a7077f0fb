namespace OrdersMail.OrdersApi.Timeline;

/// <summary>
/// The headers of the timeline's pages and files. The page renders data only as text, and the Content-Security-Policy is
/// the second line should that ever slip: scripts, styles and fetches only from this origin, no inline script or style,
/// no plugins, no frames, no forms, nowhere else to send the page.
/// </summary>
public static class PageHeaders
{
    /// <summary>The page's policy.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Sets them on <paramref name="response"/>; pages are never cached, since they answer per user.</summary>
    public static void Apply(HttpResponse response, bool isPage)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = isPage ? "no-store" : "no-cache";
    }
}
