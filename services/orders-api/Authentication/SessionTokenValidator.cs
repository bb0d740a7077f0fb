using System.Security.Claims;
using System.Text.Json;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// Verifies a Clerk session token by hand (RS256 with <see cref="System.Security.Cryptography.RSA"/>, claims with
/// System.Text.Json) and makes the checks of docs/clerk.md §5, each with its own
/// <see cref="SessionTokenRejection"/>. The cheap checks of the token's shape come first, the signature before any
/// claim is read, so nothing an attacker wrote is parsed beyond the header until the issuer's key vouches for it.
/// </summary>
public sealed class SessionTokenValidator(ClerkSessionOptions options, ISigningKeySource keys, TimeProvider time)
{
    /// <summary>The only algorithm Clerk signs session tokens with; pinned so <c>none</c> and HMAC forgeries never verify.</summary>
    public const string Algorithm = "RS256";

    // Clerk's machine tokens (M2M, OAuth access, API keys): never a signed-in user.
    private static readonly string[] MachineTokenPrefixes = ["mt_", "oat_", "ak_"];

    /// <summary>The signed-in user <paramref name="token"/> stands for, or why it stands for nobody.</summary>
    public async Task<SessionTokenValidation> ValidateAsync(string token, string authenticationType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length > options.MaxTokenLength)
        {
            return SessionTokenRejection.TooLong;
        }

        if (MachineTokenPrefixes.Any(prefix => token.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return SessionTokenRejection.MachineToken;
        }

        if (CompactJwt.TryParse(token, out var malformed) is not { } jwt)
        {
            return malformed!;
        }

        if (CheckHeader(jwt) is { } badHeader)
        {
            return badHeader;
        }

        var lookup = await keys.FindAsync(jwt.HeaderString("kid"), cancellationToken);
        if (lookup.Key is null)
        {
            return lookup.Rejection!;
        }

        if (!lookup.Key.Verifies(jwt.SigningInput, jwt.Signature))
        {
            return SessionTokenRejection.BadSignature;
        }

        if (jwt.ParsePayload() is not { } claims)
        {
            return SessionTokenRejection.MalformedJson;
        }

        return CheckLifetime(claims) ?? CheckClaims(claims) ?? (SessionTokenValidation)SignedIn(claims, authenticationType);
    }

    private static SessionTokenRejection? CheckHeader(CompactJwt jwt)
    {
        if (jwt.HeaderString("alg") != Algorithm)
        {
            return SessionTokenRejection.UnsupportedAlgorithm;
        }

        if (jwt.Header.TryGetProperty("typ", out _) && jwt.HeaderString("typ") != "JWT")
        {
            return SessionTokenRejection.WrongType;
        }

        return jwt.Header.TryGetProperty("crit", out _) ? SessionTokenRejection.CriticalExtension : null;
    }

    private SessionTokenRejection? CheckLifetime(JsonElement claims)
    {
        if (!TryGetSeconds(claims, "exp", out var exp) || exp is null)
        {
            return SessionTokenRejection.MissingExpiry;
        }

        if (!TryGetSeconds(claims, "nbf", out var nbf) || !TryGetSeconds(claims, "iat", out var iat))
        {
            return SessionTokenRejection.MalformedTime;
        }

        // In milliseconds like Clerk's SDK (expired when exp * 1000 <= now - skew); Int128 so no exp can overflow.
        var now = (Int128)time.GetUtcNow().ToUnixTimeMilliseconds();
        var skew = (Int128)options.ClockSkew.TotalMilliseconds;
        if ((Int128)exp.Value * 1000 <= now - skew)
        {
            return SessionTokenRejection.Expired;
        }

        if (nbf is { } notBefore && (Int128)notBefore * 1000 > now + skew)
        {
            return SessionTokenRejection.NotYetValid;
        }

        return iat is { } issuedAt && (Int128)issuedAt * 1000 > now + skew ? SessionTokenRejection.IssuedInFuture : null;
    }

    private SessionTokenRejection? CheckClaims(JsonElement claims)
    {
        if (StringClaim(claims, "iss") != options.Issuer)
        {
            return SessionTokenRejection.WrongIssuer;
        }

        // Like Clerk's SDK, a token without azp is accepted; one with an azp must name an authorized origin.
        if (claims.TryGetProperty("azp", out _) && !options.AuthorizedParties.Contains(StringClaim(claims, "azp") ?? string.Empty, StringComparer.Ordinal))
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

    private ClaimsPrincipal SignedIn(JsonElement claims, string authenticationType)
    {
        // The claim types are the JWT names themselves ("sub", "sid"): nothing maps them to .NET's long URIs.
        var identity = new ClaimsIdentity(
            [
                new Claim(SignedInUser.UserIdClaim, StringClaim(claims, SignedInUser.UserIdClaim)!, ClaimValueTypes.String, options.Issuer),
                new Claim(SignedInUser.SessionIdClaim, StringClaim(claims, SignedInUser.SessionIdClaim)!, ClaimValueTypes.String, options.Issuer),
            ],
            authenticationType,
            SignedInUser.UserIdClaim,
            roleType: null);
        return new ClaimsPrincipal(identity);
    }

    private static string? StringClaim(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A NumericDate claim: absent (null), or whole seconds; false when present as anything else.</summary>
    private static bool TryGetSeconds(JsonElement claims, string name, out long? seconds)
    {
        seconds = null;
        if (!claims.TryGetProperty(name, out var value))
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var whole))
        {
            seconds = whole;
            return true;
        }

        return false;
    }
}
