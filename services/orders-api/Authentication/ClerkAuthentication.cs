using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// Clerk session-token authentication, verified by hand (no JWT library: the one the registry offers,
/// Microsoft.IdentityModel 6.8.0, has CVE-2024-21319). There is deliberately no setting that turns it off.
/// </summary>
public static class ClerkAuthentication
{
    /// <summary>The authentication scheme's name, also the name of its <see cref="ClerkSessionOptions"/>.</summary>
    public const string SchemeName = "Clerk";

    /// <summary>How long a JWKS fetch may take before the request it holds up is refused.</summary>
    public static readonly TimeSpan JwksFetchTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A JWKS holds a few keys; anything much bigger is no JWKS and is not read to the end.</summary>
    public const int MaxJwksBytes = 256 * 1024;

    /// <summary>Registers the scheme as the default for authenticating and challenging, its options and its key source.</summary>
    public static IServiceCollection AddClerkAuthentication(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ClerkSessionOptions>(SchemeName)
            .BindConfiguration(ClerkSessionOptions.Section)
            .PostConfigure(options =>
            {
                if (options.AuthorizedParties.Count == 0)
                {
                    options.AuthorizedParties.Add(ClerkSessionOptions.DefaultAuthorizedParty);
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClerkSessionOptions>, ClerkSessionOptionsValidator>());

        services.AddHttpClient(JwksSigningKeys.HttpClientName, client =>
        {
            client.Timeout = JwksFetchTimeout;
            client.MaxResponseContentBufferSize = MaxJwksBytes;
        });
        services.AddSingleton(CreateKeySource);
        services.AddSingleton(provider => new SessionTokenValidator(
            SchemeOptions(provider),
            provider.GetRequiredService<ISigningKeySource>(),
            provider.GetRequiredService<TimeProvider>()));

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = SchemeName;
                options.DefaultAuthenticateScheme = SchemeName;
                options.DefaultChallengeScheme = SchemeName;
            })
            .AddScheme<ClerkSessionOptions, ClerkSessionHandler>(SchemeName, displayName: "Clerk session token", configureOptions: null);
        return services;
    }

    /// <summary>Maps <c>GET /api/me</c>: who the token says the caller is.</summary>
    public static RouteGroupBuilder MapSignedInUser(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new SignedInUserResponse(user.UserId(), user.SessionId())))
            .WithSummary("Who the Clerk session token says the caller is.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return api;
    }

    private static ClerkSessionOptions SchemeOptions(IServiceProvider provider) =>
        provider.GetRequiredService<IOptionsMonitor<ClerkSessionOptions>>().Get(SchemeName);

    // The pinned PEM key when one is configured, so verification needs no network; the JWKS otherwise.
    private static ISigningKeySource CreateKeySource(IServiceProvider provider)
    {
        var options = SchemeOptions(provider);
        return string.IsNullOrWhiteSpace(options.PublicKeyPem)
            ? ActivatorUtilities.CreateInstance<JwksSigningKeys>(provider, options)
            : new PinnedSigningKey(RsaVerificationKey.FromPem(options.PublicKeyPem));
    }
}
