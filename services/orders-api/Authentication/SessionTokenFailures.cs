using Microsoft.IdentityModel.Tokens;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// Names the <see cref="SessionTokenRejection"/> behind an authentication failure: the Clerk checks' own
/// <see cref="SessionTokenRefusedException"/>, or the exception IdentityModel's verification ended in.
/// </summary>
public static class SessionTokenFailures
{
    /// <summary>
    /// Why <paramref name="failure"/> refused the token; null when no check foresaw it. A missing key means a bad
    /// signature when the key is pinned (it is tried whatever kid the token names), and otherwise an unknown kid,
    /// unless the JWKS could not be fetched.
    /// </summary>
    public static SessionTokenRejection? Classify(Exception failure, bool keyIsPinned, bool jwksUnavailable) => failure switch
    {
        SessionTokenRefusedException refused => refused.Rejection,
        SecurityTokenSignatureKeyNotFoundException when keyIsPinned => SessionTokenRejection.BadSignature,
        SecurityTokenSignatureKeyNotFoundException when jwksUnavailable => SessionTokenRejection.KeysUnavailable,
        SecurityTokenSignatureKeyNotFoundException => SessionTokenRejection.UnknownKey,
        SecurityTokenInvalidSignatureException => SessionTokenRejection.BadSignature,
        SecurityTokenInvalidIssuerException => SessionTokenRejection.WrongIssuer,
        _ => null,
    };
}
