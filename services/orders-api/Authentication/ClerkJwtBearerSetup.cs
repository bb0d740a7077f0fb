using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// Turns the <c>Clerk</c> settings into JwtBearer's options: RS256 only, the issuer pinned, Clerk's lifetime rules,
/// keys from the pinned PEM or from the JWKS through IdentityModel's <see cref="ConfigurationManager{T}"/> (cached
/// for <see cref="ClerkSessionOptions.JwksCacheDuration"/>, refetched for an unknown kid at most once per
/// <see cref="ClerkAuthentication.UnknownKidRefetchInterval"/>), and the Clerk checks in between.
/// </summary>
public sealed class ClerkJwtBearerSetup(
    IOptionsMonitor<ClerkSessionOptions> clerk,
    ClerkJwksRetriever jwks,
    IHttpClientFactory httpClients) : IConfigureNamedOptions<JwtBearerOptions>
{
    /// <inheritdoc />
    public void Configure(string? name, JwtBearerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name != ClerkAuthentication.SchemeName)
        {
            return;
        }

        var settings = clerk.Get(ClerkAuthentication.SchemeName);
        var pinned = string.IsNullOrWhiteSpace(settings.PublicKeyPem) ? null : ClerkPublicKey.FromPem(settings.PublicKeyPem);

        // The claim types stay the JWT names ("sub", "sid"): nothing maps them to .NET's long URIs.
        options.MapInboundClaims = false;
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(new ClerkSessionTokenHandler(requireKid: pinned is null)
        {
            MaximumTokenSizeInBytes = settings.MaxTokenLength,
            MapInboundClaims = false,
        });
        options.EventsType = typeof(ClerkSessionEvents);
        options.TokenValidationParameters = new TokenValidationParameters
        {
            AuthenticationType = ClerkAuthentication.SchemeName,
            NameClaimType = SignedInUser.UserIdClaim,
            ValidAlgorithms = [ClerkSessionTokenHandler.Algorithm],
            RequireSignedTokens = true,
            ValidateIssuer = true,
            ValidIssuer = settings.Issuer,

            // Clerk's session tokens carry no aud; azp is checked against the authorized parties instead.
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = settings.ClockSkew,

            // Read when a token is checked, so the scheme's TimeProvider (set after this runs) is the clock.
            LifetimeValidator = ClerkSessionLifetime.Validator(settings.ClockSkew, () => options.TimeProvider ?? TimeProvider.System),

            // Like Clerk's SDK with a jwtKey, the pinned key verifies every token whatever its kid says.
            IssuerSigningKey = pinned,
            TryAllIssuerSigningKeys = pinned is not null,
        };

        if (pinned is null)
        {
            // A bare JWKS, no discovery document: the retriever reads it; the manager caches and refreshes it. Plain
            // http is allowed because the options validator allows it, for the local sandbox. The URL is set: the
            // validator refuses to start without it when no key is pinned.
            var documents = new HttpDocumentRetriever(httpClients.CreateClient(ClerkAuthentication.JwksHttpClientName)) { RequireHttps = false };
            options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(settings.JwksUrl!.ToString(), jwks, documents)
            {
                AutomaticRefreshInterval = settings.JwksCacheDuration,
                RefreshInterval = ClerkAuthentication.UnknownKidRefetchInterval,
            };

            // IdentityModel already refetches for an unknown kid and verifies the token again within the same
            // validation. JwtBearer's extra refresh request after the failure would, while no JWKS was ever fetched,
            // undo IdentityModel's backoff and turn an outage of Clerk's JWKS into one fetch per request.
            options.RefreshOnIssuerKeyNotFound = false;
        }
    }

    /// <inheritdoc />
    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);
}
