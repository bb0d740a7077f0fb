using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// Reads Clerk's bare JWKS (<c>{"keys":[...]}</c>, no OpenID discovery document in front of it) for IdentityModel's
/// <see cref="ConfigurationManager{T}"/>, which caches it, refreshes it and refetches it for an unknown kid. Only
/// RSA-2048+ signing keys for RS256 are kept; a JWKS with none counts as a failed fetch, so the keys of the last
/// good one stay in use. Remembers whether the last fetch failed, so a refusal can say the keys were unavailable.
/// </summary>
public sealed partial class ClerkJwksRetriever(ILogger<ClerkJwksRetriever> logger) : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    private volatile bool _lastFetchFailed;

    /// <summary>Whether the last attempt to fetch the JWKS failed or found no usable key.</summary>
    public bool LastFetchFailed => _lastFetchFailed;

    /// <inheritdoc />
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        JsonWebKeySet jwks;
        try
        {
            jwks = new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel));
        }
        catch (Exception exception)
        {
            _lastFetchFailed = true;
            LogFetchFailed(logger, exception, address);
            throw;
        }

        var configuration = new OpenIdConnectConfiguration { JsonWebKeySet = jwks };
        foreach (var key in jwks.Keys.Where(IsUsable))
        {
            if (JsonWebKeyConverter.TryConvertToSecurityKey(key, out var securityKey) && securityKey.KeySize >= ClerkPublicKey.MinimumModulusBits)
            {
                configuration.SigningKeys.Add(securityKey);
            }
        }

        if (configuration.SigningKeys.Count == 0)
        {
            _lastFetchFailed = true;
            LogNoUsableKey(logger, address);
            throw new InvalidOperationException($"The JWKS at {address} holds no RSA-2048+ RS256 signing key.");
        }

        LogFetched(logger, configuration.SigningKeys.Count, address);
        _lastFetchFailed = false;
        return configuration;
    }

    private static bool IsUsable(JsonWebKey key) =>
        key.Kty == JsonWebAlgorithmsKeyTypes.RSA
        && !string.IsNullOrEmpty(key.Kid)
        && (string.IsNullOrEmpty(key.Use) || key.Use == JsonWebKeyUseNames.Sig)
        && (string.IsNullOrEmpty(key.Alg) || key.Alg == SecurityAlgorithms.RsaSha256);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} Clerk signing key(s) from {JwksUrl}")]
    private static partial void LogFetched(ILogger logger, int count, string jwksUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clerk's JWKS at {JwksUrl} could not be fetched; session tokens are refused until it can")]
    private static partial void LogFetchFailed(ILogger logger, Exception exception, string jwksUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clerk's JWKS at {JwksUrl} holds no RSA-2048+ RS256 signing key; session tokens are refused until it does")]
    private static partial void LogNoUsableKey(ILogger logger, string jwksUrl);
}
