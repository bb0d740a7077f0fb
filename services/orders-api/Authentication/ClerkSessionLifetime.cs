using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// The lifetime check as Clerk's SDK makes it (docs/clerk.md §4 items 7 and 8), plugged into IdentityModel
/// as its <see cref="LifetimeValidator"/>: expired when <c>exp &lt;= now − skew</c> (IdentityModel's own check lets
/// the boundary pass), too early when <c>nbf</c> or <c>iat</c> is after <c>now + skew</c> (IdentityModel does not look at
/// <c>iat</c>). Each failure says which.
/// </summary>
public static class ClerkSessionLifetime
{
    /// <summary>The validator for tokens allowed <paramref name="skew"/>, reading the time from <paramref name="clock"/> each time.</summary>
    public static LifetimeValidator Validator(TimeSpan skew, Func<TimeProvider> clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return (notBefore, expires, token, _) =>
        {
            var issuedAt = token is JsonWebToken jwt && jwt.IssuedAt != DateTime.MinValue ? jwt.IssuedAt : (DateTime?)null;
            if (Check(notBefore, expires, issuedAt, clock().GetUtcNow().UtcDateTime, skew) is { } rejection)
            {
                throw new SessionTokenRefusedException(rejection);
            }

            return true;
        };
    }

    private static SessionTokenRejection? Check(DateTime? notBefore, DateTime? expires, DateTime? issuedAt, DateTime now, TimeSpan skew)
    {
        if (expires is null)
        {
            return SessionTokenRejection.MissingExpiry;
        }

        if (expires <= now - skew)
        {
            return SessionTokenRejection.Expired;
        }

        if (notBefore > now + skew)
        {
            return SessionTokenRejection.NotYetValid;
        }

        return issuedAt > now + skew ? SessionTokenRejection.IssuedInFuture : null;
    }
}
