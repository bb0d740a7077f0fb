using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// IdentityModel's <see cref="JsonWebTokenHandler"/> with the checks Clerk asks for before any key is looked up
/// (docs/clerk.md §5 items 2 and 3): size, JWS shape, and a header naming RS256 and nothing critical.
/// They come first so a forged header is refused for what it is, without a JWKS fetch and without reaching a key;
/// the token is read by IdentityModel, the signature, lifetime and issuer are then its own checks.
/// </summary>
public sealed class ClerkSessionTokenHandler(bool requireKid) : JsonWebTokenHandler
{
    /// <summary>The only algorithm Clerk signs session tokens with; pinned so <c>none</c> and HMAC forgeries never verify.</summary>
    public const string Algorithm = SecurityAlgorithms.RsaSha256;

    /// <inheritdoc />
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length > MaximumTokenSizeInBytes)
        {
            return Refused(SessionTokenRejection.TooLong);
        }

        // CanReadToken holds the token to the compact serialization's base64url alphabet; the unsecured JWS it also
        // admits (an empty signature) is no session token.
        if (!CanReadToken(token) || token.EndsWith('.'))
        {
            return Refused(SessionTokenRejection.Malformed);
        }

        JsonWebToken jwt;
        try
        {
            jwt = ReadJsonWebToken(token);
        }
        catch (Exception exception) when (exception is ArgumentException or SecurityTokenMalformedException)
        {
            return Refused(ReadFailure(exception));
        }

        if (HeaderRejection(jwt) is { } rejection)
        {
            return Refused(rejection);
        }

        return await base.ValidateTokenAsync(jwt, validationParameters);
    }

    private SessionTokenRejection? HeaderRejection(JsonWebToken jwt)
    {
        // Five segments read as a JWE: never accepted, as no decryption key is ever configured.
        if (jwt.IsEncrypted)
        {
            return SessionTokenRejection.Malformed;
        }

        if (jwt.Alg != Algorithm)
        {
            return SessionTokenRejection.UnsupportedAlgorithm;
        }

        // typ is optional, but when present (null included) it must be exactly JWT.
        if (jwt.TryGetHeaderValue<object>(JwtHeaderParameterNames.Typ, out _) && jwt.Typ != "JWT")
        {
            return SessionTokenRejection.WrongType;
        }

        if (jwt.TryGetHeaderValue<object>("crit", out _))
        {
            return SessionTokenRejection.CriticalExtension;
        }

        // A JWKS key is chosen by kid: without one there is nothing to look up, and no reason to fetch.
        return requireKid && string.IsNullOrEmpty(jwt.Kid) ? SessionTokenRejection.UnknownKey : null;
    }

    // The reader fails on a segment that is no base64url with FormatException, on JSON (or a registered claim of
    // another JSON type than the one it reads) with JsonException; anything else it cannot read is no JSON either.
    private static SessionTokenRejection ReadFailure(Exception failure)
    {
        for (var cause = failure; cause is not null; cause = cause.InnerException)
        {
            if (cause is FormatException)
            {
                return SessionTokenRejection.Malformed;
            }

            if (cause is JsonException)
            {
                return SessionTokenRejection.MalformedJson;
            }
        }

        return SessionTokenRejection.MalformedJson;
    }

    private static TokenValidationResult Refused(SessionTokenRejection rejection) =>
        new() { IsValid = false, Exception = new SessionTokenRefusedException(rejection) };
}
