using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// The answer to a token that could not be verified because Clerk's JWKS could not be fetched
/// (<see cref="SessionTokenRejection.KeysUnavailable"/>): 503 with <c>Retry-After</c>, a problem whose <c>reason</c> is
/// <c>jwks_unavailable</c>, and no <c>invalid_token</c> challenge. The token may well be good: a 401 told the web app to
/// sign the user in again, and the new token was refused the same way, a sign-in loop for every user during a Clerk or
/// network blip.
/// </summary>
public static class KeysUnavailableAnswer
{
    /// <summary>
    /// Seconds before asking again. While it has never had the keys, IdentityModel fetches them again only after 1, 2,
    /// 4 ... seconds (with jitter); after 5 a retry finds the first of those waits over and asks Clerk again itself.
    /// </summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The 503 problem, with <c>Retry-After</c> set on <paramref name="response"/>.</summary>
    public static ProblemHttpResult Problem(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var rejection = SessionTokenRejection.KeysUnavailable;
        return TypedResults.Problem(
            rejection.Detail,
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Service Unavailable",
            extensions: new Dictionary<string, object?> { [SessionTokenRejection.ReasonExtension] = rejection.Code });
    }
}
