using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Clerk;

/// <summary>
/// <c>GET /sandbox/clerk/sign-in?user_id=&amp;redirect=</c>: a local stand-in for Clerk's hosted sign-in, so a person can
/// open a service's pages in a browser. It mints a session token for the user, sets it as the <c>__session</c> cookie
/// (as clerk-js does) and redirects. Cookies belong to a host, not a port, so the cookie set here on 127.0.0.1 goes with
/// requests to every service on 127.0.0.1. Only a redirect to this same loopback host is followed: never anywhere else.
/// </summary>
public static partial class SignInEndpoint
{
    /// <summary>The cookie clerk-js keeps the session token in, which backends read.</summary>
    public const string SessionCookie = "__session";

    /// <summary>A browser session has no clerk-js to refresh its token every minute, so the token lasts a working day.</summary>
    public const int TtlSeconds = 8 * 60 * 60;

    /// <summary>Maps <c>/sign-in</c> in the sandbox's <c>/clerk</c> control group.</summary>
    public static RouteGroupBuilder MapClerkSignIn(this RouteGroupBuilder clerk)
    {
        ArgumentNullException.ThrowIfNull(clerk);
        clerk.MapGet("/sign-in", SignIn);
        return clerk;
    }

    private static IResult SignIn(HttpRequest http, TokenMinter minter, [FromQuery(Name = "user_id")] string? userId, string? redirect)
    {
        if (string.IsNullOrEmpty(userId) || !UserId().IsMatch(userId))
        {
            return ClerkError.Of(400, "form_param_value_invalid", "user_id must be 1 to 128 letters, digits, '_' or '-' (e.g. user_1).");
        }

        if (!IsAllowedRedirect(redirect, http, out var target))
        {
            return ClerkError.Of(400, "form_param_value_invalid",
                $"redirect must be an absolute http URL on this sandbox's own loopback host ({http.Host.Host}), any port; nothing else is followed.");
        }

        var token = minter.Mint(new TokenRequest(userId, null, null, TtlSeconds, null, null), ClerkEndpoints.IssuerOf(http));
        http.HttpContext.Response.Cookies.Append(SessionCookie, token.Jwt, new CookieOptions
        {
            Path = "/",
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.IsHttps,
            Expires = DateTimeOffset.FromUnixTimeSeconds(token.Claims["exp"]!.GetValue<long>()),
        });
        return Results.Redirect(target.AbsoluteUri);
    }

    /// <summary>
    /// True for an absolute http(s) URL whose host is the one this request came to, and a loopback one: the cookie is
    /// only sent there, and an open redirect to anywhere else could carry a person off to another site.
    /// </summary>
    public static bool IsAllowedRedirect(string? redirect, HttpRequest http, out Uri target)
    {
        ArgumentNullException.ThrowIfNull(http);
        target = null!;
        if (!Uri.TryCreate(redirect, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0)
        {
            return false;
        }

        var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
        if (!loopback || !string.Equals(uri.Host, http.Host.Host, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        target = uri;
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserId();
}
