using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// The claim checks Clerk adds to a verified token (docs/clerk.md §5 items 5, 6, 8, 9), made from
/// JwtBearer's <c>OnTokenValidated</c>. They read the JSON types of the payload the signature vouched for, because
/// IdentityModel's reader coerces what Clerk's SDK refuses: a numeric string or a fraction as <c>exp</c>, a number as
/// <c>sub</c>.
/// </summary>
public static class ClerkSessionClaims
{
    /// <summary>Why <paramref name="token"/>'s claims do not sign anyone in, or null when they do.</summary>
    public static SessionTokenRejection? Check(JsonWebToken token, IEnumerable<string> authorizedParties)
    {
        ArgumentNullException.ThrowIfNull(token);
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        var claims = payload.RootElement;
        if (!IsWholeSeconds(claims, JwtRegisteredClaimNames.Exp, required: true))
        {
            return SessionTokenRejection.MissingExpiry;
        }

        if (!IsWholeSeconds(claims, JwtRegisteredClaimNames.Nbf, required: false) || !IsWholeSeconds(claims, JwtRegisteredClaimNames.Iat, required: false))
        {
            return SessionTokenRejection.MalformedTime;
        }

        // Like Clerk's SDK, a token without azp is accepted; one with an azp must name an authorized origin.
        if (claims.TryGetProperty(JwtRegisteredClaimNames.Azp, out _)
            && !authorizedParties.Contains(StringClaim(claims, JwtRegisteredClaimNames.Azp) ?? string.Empty, StringComparer.Ordinal))
        {
            return SessionTokenRejection.UnauthorizedParty;
        }

        if (string.IsNullOrEmpty(StringClaim(claims, SignedInUser.UserIdClaim)))
        {
            return SessionTokenRejection.MissingSubject;
        }

        if (string.IsNullOrEmpty(StringClaim(claims, SignedInUser.SessionIdClaim)))
        {
            return SessionTokenRejection.MissingSession;
        }

        return StringClaim(claims, "sts") == "pending" ? SessionTokenRejection.PendingSession : null;
    }

    private static string? StringClaim(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A NumericDate claim in whole seconds, or absent when that is allowed.</summary>
    private static bool IsWholeSeconds(JsonElement claims, string name, bool required) =>
        claims.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _)
            : !required;
}
