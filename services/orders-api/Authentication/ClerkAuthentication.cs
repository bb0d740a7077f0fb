using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// Clerk session-token authentication on ASP.NET Core's JwtBearer (IdentityModel verifies the token), with Clerk's
/// own checks added where JwtBearer lets them in. There is deliberately no setting that turns it off.
/// </summary>
public static class ClerkAuthentication
{
    /// <summary>The authentication scheme's name, also the name of its <see cref="ClerkSessionOptions"/>.</summary>
    public const string SchemeName = "Clerk";

    /// <summary>The named <see cref="HttpClient"/> the JWKS is fetched with.</summary>
    public const string JwksHttpClientName = "clerk-jwks";

    /// <summary>A JWKS holds a few keys; anything much bigger is no JWKS and is not read to the end.</summary>
    public const int MaxJwksBytes = 256 * 1024;

    /// <summary>How long a JWKS fetch may take before the request it holds up is refused.</summary>
    public static readonly TimeSpan JwksFetchTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The least time between two JWKS fetches caused by tokens naming a kid it lacks (the first one is never held
    /// back), so tokens with made-up kids cannot turn into a flood of fetches.
    /// </summary>
    public static readonly TimeSpan UnknownKidRefetchInterval = TimeSpan.FromSeconds(30);

    // IdentityModel refreshes the JWKS in the background by default, after refusing the token whose unknown kid
    // asked for it; blocking makes that request wait for the refetch and be verified against it, as Clerk's SDK does.
    private const string BlockingJwksRefreshSwitch = "Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking";

    /// <summary>Registers the scheme as the default, its Clerk options (checked at start) and JwtBearer's options made from them.</summary>
    public static IServiceCollection AddClerkAuthentication(this IServiceCollection services)
    {
        AppContext.SetSwitch(BlockingJwksRefreshSwitch, isEnabled: true);
        services.AddOptions<ClerkSessionOptions>(SchemeName)
            .BindConfiguration(ClerkSessionOptions.Section)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClerkSessionOptions>, ClerkSessionOptionsValidator>());

        services.AddHttpClient(JwksHttpClientName, client =>
        {
            client.Timeout = JwksFetchTimeout;
            client.MaxResponseContentBufferSize = MaxJwksBytes;
        });
        services.AddSingleton<ClerkJwksRetriever>();
        services.AddSingleton<ClerkSessionEvents>();
        services.ConfigureOptions<ClerkJwtBearerSetup>();
        services.AddAuthentication(SchemeName).AddJwtBearer(SchemeName);
        return services;
    }

    /// <summary>Maps <c>GET /api/me</c>: who the token says the caller is.</summary>
    public static RouteGroupBuilder MapSignedInUser(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new SignedInUserResponse(user.UserId(), user.SessionId())))
            .WithSummary("Who the Clerk session token says the caller is.");
        return api;
    }
}
