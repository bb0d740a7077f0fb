namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// Where a request carries its Clerk session token (docs/clerk.md §1): <c>Authorization: Bearer</c> from
/// another origin, the <c>__session</c> cookie clerk-js sets on the same origin. The header wins over the cookie.
/// </summary>
public static class SessionTokenSource
{
    /// <summary>The cookie clerk-js keeps the session token in.</summary>
    public const string SessionCookie = "__session";

    // Case-sensitive, as Clerk's SDK reads it.
    private const string BearerPrefix = "Bearer ";

    /// <summary>
    /// The token of <paramref name="request"/>, or null when it has none. Like Clerk's SDK, a header value without
    /// a space is the raw token, and a header of another scheme (<c>bearer</c> in lower case included) is no token
    /// at all, which leaves the cookie.
    /// </summary>
    public static string? Find(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith(BearerPrefix, StringComparison.Ordinal))
        {
            return header[BearerPrefix.Length..].Trim();
        }

        if (header.Length > 0 && !header.Contains(' ', StringComparison.Ordinal))
        {
            return header;
        }

        return request.Cookies.TryGetValue(SessionCookie, out var cookie) && cookie.Length > 0 ? cookie : null;
    }
}
