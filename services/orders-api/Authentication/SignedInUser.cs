using System.Security.Claims;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>Who is calling, as the verified Clerk session token says.</summary>
public static class SignedInUser
{
    /// <summary>The claim holding Clerk's user id (<c>sub</c>, e.g. <c>user_2abc</c>).</summary>
    public const string UserIdClaim = "sub";

    /// <summary>The claim holding Clerk's session id (<c>sid</c>).</summary>
    public const string SessionIdClaim = "sid";

    /// <summary>The caller's Clerk user id; only called behind <c>RequireAuthorization</c>, where it is always present.</summary>
    public static string UserId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(UserIdClaim) ?? throw new InvalidOperationException("An authenticated user always has a sub claim.");
    }

    /// <summary>The caller's Clerk session id; only called behind <c>RequireAuthorization</c>, where it is always present.</summary>
    public static string SessionId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(SessionIdClaim) ?? throw new InvalidOperationException("An authenticated user always has a sid claim.");
    }
}
