using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Clerk;

/// <summary>Clerk's token issuer under <c>/clerk</c>.</summary>
public static class ClerkEndpoints
{
    /// <summary>The longest token lifetime <c>POST /clerk/tokens</c> mints (a day).</summary>
    public const int MaxTtlSeconds = 86_400;

    /// <summary>Registers the signing keys.</summary>
    public static IServiceCollection AddClerk(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ClerkKeys>();
        services.AddSingleton<TokenMinter>();
        return services;
    }

    /// <summary>Maps <c>/clerk/.well-known/jwks.json</c> and <c>/clerk/tokens</c>.</summary>
    public static RouteGroupBuilder MapClerk(this RouteGroupBuilder clerk)
    {
        ArgumentNullException.ThrowIfNull(clerk);
        clerk.MapGet("/.well-known/jwks.json", (ClerkKeys keys) => Results.Json(keys.Jwks(), SandboxJson.Options))
            .Operation(SandboxApi.Clerk, "jwks.get");
        clerk.MapPost("/tokens", MintAsync).Operation(SandboxApi.Clerk, "tokens.create");
        return clerk;
    }

    /// <summary>Like Clerk's <c>iss</c> (its Frontend API URL): where this sandbox's Clerk is reached by <paramref name="http"/>.</summary>
    public static string IssuerOf(HttpRequest http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return $"{http.Scheme}://{http.Host}{http.PathBase}/clerk";
    }

    private static async Task<IResult> MintAsync(HttpRequest http, TokenMinter minter)
    {
        TokenRequest? request;
        try
        {
            using var reader = new StreamReader(http.Body);
            var text = await reader.ReadToEndAsync(http.HttpContext.RequestAborted);
            request = string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<TokenRequest>(text, SandboxJson.Options);
        }
        catch (JsonException)
        {
            return ClerkError.Of(400, "form_param_format_invalid", "The request body must be a JSON object.");
        }

        request ??= new TokenRequest(null, null, null, null, null, null);
        if (request.Mode is not null && !TokenModes.All.Contains(request.Mode))
        {
            return ClerkError.Of(400, "form_param_value_invalid", $"mode must be one of: {string.Join(", ", TokenModes.All)}.");
        }

        if (request.TtlSeconds is < 1 or > MaxTtlSeconds)
        {
            return ClerkError.Of(400, "form_param_value_invalid", $"ttl_seconds must be between 1 and {MaxTtlSeconds}.");
        }

        var token = minter.Mint(request, IssuerOf(http));
        return Results.Json(new { jwt = token.Jwt, kid = token.Kid, claims = token.Claims }, SandboxJson.Options);
    }
}
