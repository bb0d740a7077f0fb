namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// How Clerk session tokens are verified: section <c>Clerk</c> (<c>ORDERSMAIL_Clerk__JwksUrl</c>...).
/// The instance's issuer, its key source and the web app's origins have no defaults: each deployment names its own
/// Clerk instance, and one that named none would trust whatever answers at a default address.
/// </summary>
public sealed class ClerkSessionOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Clerk";

    /// <summary>
    /// Where the instance's public keys are published (Clerk: <c>https://&lt;frontend-api&gt;/.well-known/jwks.json</c>).
    /// Required unless <see cref="PublicKeyPem"/> is set.
    /// </summary>
    public Uri? JwksUrl { get; set; }

    /// <summary>The exact <c>iss</c> every token must carry: the instance's Frontend API URL.</summary>
    public string? Issuer { get; set; }

    /// <summary>
    /// The origins a token's <c>azp</c> may name, and the only ones CORS lets call the API. Configuration adds to
    /// this list rather than replacing it, so it starts empty.
    /// </summary>
    public IList<string> AuthorizedParties { get; } = [];

    /// <summary>
    /// Clerk's PEM public key (SPKI, <c>-----BEGIN PUBLIC KEY-----</c>, Clerk's <c>CLERK_JWT_KEY</c>). When set it is
    /// the only key trusted and the JWKS is never fetched.
    /// </summary>
    public string? PublicKeyPem { get; set; }

    /// <summary>How far the clocks of Clerk and this service may drift apart; Clerk's SDK allows 5 s.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long fetched keys are trusted before the JWKS is fetched again; Clerk's SDK caches 5 min, which is also
    /// the shortest interval the JWKS cache (IdentityModel's ConfigurationManager) accepts.
    /// </summary>
    public TimeSpan JwksCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longer tokens are refused unread: a session token is well under the 4 KB a cookie may hold.</summary>
    public int MaxTokenLength { get; set; } = 8192;
}
