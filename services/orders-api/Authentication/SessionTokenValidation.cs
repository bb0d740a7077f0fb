using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>What <see cref="SessionTokenValidator"/> found: the signed-in user, or why there is none.</summary>
public sealed class SessionTokenValidation
{
    private SessionTokenValidation(ClaimsPrincipal? user, SessionTokenRejection? rejection)
    {
        User = user;
        Rejection = rejection;
    }

    /// <summary>The user, carrying <c>sub</c> and <c>sid</c>, when the token is good.</summary>
    public ClaimsPrincipal? User { get; }

    /// <summary>Why the token was refused, when it was.</summary>
    public SessionTokenRejection? Rejection { get; }

    /// <summary>Whether the token is good.</summary>
    [MemberNotNullWhen(true, nameof(User))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool Succeeded => User is not null;

    /// <summary>A good token's user.</summary>
    public static SessionTokenValidation SignedIn(ClaimsPrincipal user) => new(user ?? throw new ArgumentNullException(nameof(user)), null);

    /// <summary>A refused token.</summary>
    public static SessionTokenValidation Refused(SessionTokenRejection rejection) => new(null, rejection ?? throw new ArgumentNullException(nameof(rejection)));

    /// <summary>A good token's user.</summary>
    public static implicit operator SessionTokenValidation(ClaimsPrincipal user) => SignedIn(user);

    /// <summary>A refused token.</summary>
    public static implicit operator SessionTokenValidation(SessionTokenRejection rejection) => Refused(rejection);
}
