using Microsoft.IdentityModel.Tokens;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// A Clerk check that IdentityModel does not make refused the token. Thrown (or handed to <c>Fail</c>) from the
/// places JwtBearer lets checks be added, it travels to the challenge as the authentication failure.
/// </summary>
public sealed class SessionTokenRefusedException : SecurityTokenValidationException
{
    /// <summary>A refusal for <paramref name="rejection"/>.</summary>
    public SessionTokenRefusedException(SessionTokenRejection rejection)
        : base((rejection ?? throw new ArgumentNullException(nameof(rejection))).Detail) => Rejection = rejection;

    /// <summary>Why the token was refused.</summary>
    public SessionTokenRejection Rejection { get; }
}
