namespace OrdersMail.MailSandbox.Clerk;

/// <summary>The body of <c>POST /clerk/tokens</c>; every field is optional.</summary>
/// <param name="UserId">The <c>sub</c>; default a new <c>user_…</c>.</param>
/// <param name="SessionId">The <c>sid</c>; default a new <c>sess_…</c>.</param>
/// <param name="Azp">The authorized party (the app's origin); default <c>http://localhost:3000</c>.</param>
/// <param name="TtlSeconds">Lifetime, <c>exp − iat</c>; default 60 as Clerk's.</param>
/// <param name="Issuer">The <c>iss</c>; default this sandbox's <c>/clerk</c> URL.</param>
/// <param name="Mode">A way for the token to be bad (see <see cref="TokenModes"/>); omitted: a good token.</param>
public sealed record TokenRequest(string? UserId, string? SessionId, string? Azp, int? TtlSeconds, string? Issuer, string? Mode);

/// <summary>The bad tokens <c>POST /clerk/tokens</c> can mint, each one a check a backend must make.</summary>
public static class TokenModes
{
    /// <summary><c>exp</c> a minute in the past.</summary>
    public const string Expired = "expired";

    /// <summary><c>iat</c> and <c>nbf</c> two minutes in the future.</summary>
    public const string NotYetValid = "not_yet_valid";

    /// <summary><c>sts: "pending"</c>: a session with tasks left, signed out by default.</summary>
    public const string Pending = "pending";

    /// <summary><c>azp</c> an origin no backend authorizes.</summary>
    public const string ForeignAzp = "foreign_azp";

    /// <summary>Signed with a key whose kid is not in the JWKS.</summary>
    public const string ForeignKey = "foreign_key";

    /// <summary>No <c>sub</c> claim.</summary>
    public const string NoSub = "no_sub";

    /// <summary>Every mode.</summary>
    public static readonly IReadOnlyList<string> All = [Expired, NotYetValid, Pending, ForeignAzp, ForeignKey, NoSub];
}
