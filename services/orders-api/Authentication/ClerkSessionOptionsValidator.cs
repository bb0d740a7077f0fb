using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// Refuses to start with settings that would make every sign-in fail or, worse, succeed too easily: an issuer or
/// key source that is missing, no authorized party, a skew beyond reason.
/// </summary>
public sealed class ClerkSessionOptionsValidator : IValidateOptions<ClerkSessionOptions>
{
    /// <summary>The widest clock skew accepted; ASP.NET's 5 min default would stretch a 60 s token's life sixfold.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ClerkSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name != ClerkAuthentication.SchemeName)
        {
            return ValidateOptionsResult.Skip;
        }

        var problems = new List<string>();
        if (!Uri.TryCreate(options.Issuer, UriKind.Absolute, out _))
        {
            problems.Add("Clerk:Issuer must be set to the absolute URL of the Clerk instance's Frontend API.");
        }

        if (options.AuthorizedParties.Count == 0 || options.AuthorizedParties.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("Clerk:AuthorizedParties must list the web app's origins (Clerk:AuthorizedParties:0, ...).");
        }

        if (string.IsNullOrWhiteSpace(options.PublicKeyPem))
        {
            if (options.JwksUrl is not { IsAbsoluteUri: true, Scheme: "https" or "http" })
            {
                problems.Add("Clerk:JwksUrl must be set to an absolute http(s) URL when Clerk:PublicKeyPem is not set.");
            }
        }
        else if (PemProblem(options.PublicKeyPem) is { } pemProblem)
        {
            problems.Add(pemProblem);
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > MaxClockSkew)
        {
            problems.Add($"Clerk:ClockSkew must be between 0 and {MaxClockSkew}.");
        }

        // IdentityModel's ConfigurationManager, which caches the JWKS, refuses to refresh more often than every 5 min.
        if (options.JwksCacheDuration < BaseConfigurationManager.MinimumAutomaticRefreshInterval)
        {
            problems.Add($"Clerk:JwksCacheDuration must be at least {BaseConfigurationManager.MinimumAutomaticRefreshInterval}.");
        }

        if (options.MaxTokenLength <= 0)
        {
            problems.Add("Clerk:MaxTokenLength must be positive.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static string? PemProblem(string pem)
    {
        try
        {
            ClerkPublicKey.FromPem(pem);
            return null;
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            return $"Clerk:PublicKeyPem must be an RSA-2048 (or longer) PEM public key: {exception.Message}";
        }
    }
}
