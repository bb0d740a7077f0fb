namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// Why a request was not signed in, one reason per check. The detail goes to the caller twice, as the 401's
/// problem <c>detail</c> and as the <c>WWW-Authenticate</c> <c>error_description</c>, so it is plain ASCII without
/// quotes or backslashes and never repeats anything taken from the token.
/// </summary>
/// <param name="Code">A short stable name, the problem's <c>reason</c>, for clients to branch on (e.g. refresh on <c>expired</c>).</param>
/// <param name="Detail">What the caller is told.</param>
public sealed record SessionTokenRejection(string Code, string Detail)
{
    /// <summary>The problem member holding the rejection's <see cref="Code"/>, for clients to branch on.</summary>
    public const string ReasonExtension = "reason";

    /// <summary>Neither <c>Authorization: Bearer</c> nor a <c>__session</c> cookie.</summary>
    public static readonly SessionTokenRejection NoToken = new("no_token", "No session token: send Authorization: Bearer <token> or the __session cookie.");

    /// <summary>Longer than <see cref="ClerkSessionOptions.MaxTokenLength"/>.</summary>
    public static readonly SessionTokenRejection TooLong = new("too_long", "The session token is longer than any session token can be.");

    /// <summary>An <c>mt_</c>, <c>oat_</c> or <c>ak_</c> token: a machine's, not a signed-in user's.</summary>
    public static readonly SessionTokenRejection MachineToken = new("machine_token", "A machine token is not a session token.");

    /// <summary>Not three non-empty base64url segments.</summary>
    public static readonly SessionTokenRejection Malformed = new("malformed", "The session token is not a JWT of three base64url segments.");

    /// <summary>
    /// A header or payload that is not a JSON object, or that IdentityModel cannot read as a JWT's (a registered
    /// claim such as <c>exp</c>, <c>azp</c> or <c>sub</c> of a JSON type it does not take).
    /// </summary>
    public static readonly SessionTokenRejection MalformedJson = new("malformed_json", "The session token's header or payload is not a JSON object.");

    /// <summary><c>alg</c> other than RS256: <c>none</c>, HMAC and every other algorithm are refused.</summary>
    public static readonly SessionTokenRejection UnsupportedAlgorithm = new("unsupported_alg", "The session token's alg is not RS256.");

    /// <summary><c>typ</c> present and not <c>JWT</c>.</summary>
    public static readonly SessionTokenRejection WrongType = new("wrong_typ", "The session token's typ is not JWT.");

    /// <summary><c>crit</c> present: it names extensions this verifier would have to understand, and it understands none.</summary>
    public static readonly SessionTokenRejection CriticalExtension = new("crit", "The session token's header names critical extensions.");

    /// <summary>A <c>kid</c> missing from the JWKS, even after fetching it again.</summary>
    public static readonly SessionTokenRejection UnknownKey = new("unknown_kid", "The session token's kid names no key of the issuer.");

    /// <summary>The JWKS could not be fetched or read.</summary>
    public static readonly SessionTokenRejection KeysUnavailable = new("jwks_unavailable", "The issuer's signing keys could not be fetched.");

    /// <summary>The RS256 signature does not verify.</summary>
    public static readonly SessionTokenRejection BadSignature = new("bad_signature", "The session token's signature is invalid.");

    /// <summary><c>exp</c> missing or not a whole number of seconds.</summary>
    public static readonly SessionTokenRejection MissingExpiry = new("missing_exp", "The session token has no numeric exp.");

    /// <summary><c>nbf</c> or <c>iat</c> present and not a whole number of seconds.</summary>
    public static readonly SessionTokenRejection MalformedTime = new("malformed_time", "The session token's nbf or iat is not a number.");

    /// <summary><c>exp</c> at or before now minus the skew.</summary>
    public static readonly SessionTokenRejection Expired = new("expired", "The session token has expired.");

    /// <summary><c>nbf</c> after now plus the skew.</summary>
    public static readonly SessionTokenRejection NotYetValid = new("not_yet_valid", "The session token is not valid yet (nbf).");

    /// <summary><c>iat</c> after now plus the skew.</summary>
    public static readonly SessionTokenRejection IssuedInFuture = new("iat_in_future", "The session token was issued in the future (iat).");

    /// <summary><c>iss</c> other than the configured issuer.</summary>
    public static readonly SessionTokenRejection WrongIssuer = new("wrong_iss", "The session token's iss is not the configured issuer.");

    /// <summary><c>azp</c> present and not an authorized party.</summary>
    public static readonly SessionTokenRejection UnauthorizedParty = new("unauthorized_azp", "The session token's azp is not an authorized party.");

    /// <summary><c>sub</c> missing, empty or not a string.</summary>
    public static readonly SessionTokenRejection MissingSubject = new("missing_sub", "The session token has no string sub.");

    /// <summary><c>sid</c> missing, empty or not a string.</summary>
    public static readonly SessionTokenRejection MissingSession = new("missing_sid", "The session token has no string sid.");

    /// <summary><c>sts: pending</c>: the session still has tasks to finish, and counts as signed out.</summary>
    public static readonly SessionTokenRejection PendingSession = new("pending", "The session is pending (sts): it has tasks left and is not signed in yet.");

    /// <summary>Told when authentication failed in a way no check foresaw; the cause is logged, never shown.</summary>
    public static readonly SessionTokenRejection Unexpected = new("unexpected", "The session token could not be verified.");

    /// <summary>Every reason, for checks over all of them.</summary>
    public static IReadOnlyList<SessionTokenRejection> All { get; } =
    [
        NoToken, TooLong, MachineToken, Malformed, MalformedJson, UnsupportedAlgorithm, WrongType, CriticalExtension,
        UnknownKey, KeysUnavailable, BadSignature, MissingExpiry, MalformedTime, Expired, NotYetValid, IssuedInFuture,
        WrongIssuer, UnauthorizedParty, MissingSubject, MissingSession, PendingSession,
    ];
}
