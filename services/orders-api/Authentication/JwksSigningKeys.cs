using System.Text.Json;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// The issuer's JWKS, fetched over HTTP and cached for <see cref="ClerkSessionOptions.JwksCacheDuration"/>. A kid
/// missing from a fresh cache triggers one refetch (Clerk may have rotated its key), but at most one per
/// <see cref="UnknownKidRefetchInterval"/>, so tokens with made-up kids cannot turn into a flood of fetches.
/// Fetches run one at a time; requests that waited for one use its result instead of fetching again.
/// </summary>
public sealed partial class JwksSigningKeys(
    ClerkSessionOptions options,
    IHttpClientFactory httpClients,
    TimeProvider time,
    ILogger<JwksSigningKeys> logger) : ISigningKeySource, IDisposable
{
    /// <summary>The named <see cref="HttpClient"/> the JWKS is fetched with.</summary>
    public const string HttpClientName = "clerk-jwks";

    /// <summary>The least time between two fetches caused by unknown kids.</summary>
    public static readonly TimeSpan UnknownKidRefetchInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a failed fetch is reported to every request before the next one is tried: long enough that an
    /// issuer outage is not met with a fetch per request, short enough that its end is noticed quickly.
    /// </summary>
    public static readonly TimeSpan FailedFetchRetryInterval = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _fetchGate = new(1, 1);
    private volatile JwksSnapshot _snapshot = JwksSnapshot.Empty;

    /// <inheritdoc />
    public async ValueTask<SigningKeyLookup> FindAsync(string? kid, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(kid))
        {
            return SigningKeyLookup.Unknown;
        }

        if (Answer(_snapshot, kid) is { } cached)
        {
            return cached;
        }

        await _fetchGate.WaitAsync(cancellationToken);
        try
        {
            if (Answer(_snapshot, kid) is { } fetchedWhileWaiting)
            {
                return fetchedWhileWaiting;
            }

            // Not the request's token: the fetch serves every request waiting on it, and has its own timeout.
            var fetched = await FetchAsync(_snapshot, CancellationToken.None);
            _snapshot = fetched;
            if (fetched.LastAttemptFailed)
            {
                return SigningKeyLookup.Unavailable;
            }

            return fetched.Keys.TryGetValue(kid, out var key) ? SigningKeyLookup.Found(key) : SigningKeyLookup.Unknown;
        }
        finally
        {
            _fetchGate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _fetchGate.Dispose();

    /// <summary>What <paramref name="snapshot"/> already answers for <paramref name="kid"/>; null when a fetch is due.</summary>
    private SigningKeyLookup? Answer(JwksSnapshot snapshot, string kid)
    {
        var now = time.GetUtcNow();
        var fresh = snapshot.FetchedAt is { } fetchedAt && now < fetchedAt + options.JwksCacheDuration;
        if (fresh && snapshot.Keys.TryGetValue(kid, out var key))
        {
            return SigningKeyLookup.Found(key);
        }

        if (snapshot.LastAttemptFailed && now < snapshot.AttemptedAt + FailedFetchRetryInterval)
        {
            return SigningKeyLookup.Unavailable;
        }

        if (fresh && now < snapshot.AttemptedAt + UnknownKidRefetchInterval)
        {
            return SigningKeyLookup.Unknown;
        }

        return null;
    }

    private async Task<JwksSnapshot> FetchAsync(JwksSnapshot previous, CancellationToken cancellationToken)
    {
        var attemptedAt = time.GetUtcNow();
        try
        {
            using var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.GetAsync(options.JwksUrl, cancellationToken);
            response.EnsureSuccessStatusCode();
            var keys = JsonWebKeySet.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (keys.Count == 0)
            {
                LogNoUsableKey(logger, options.JwksUrl);
                return previous with { AttemptedAt = attemptedAt, LastAttemptFailed = true };
            }

            LogFetched(logger, keys.Count, options.JwksUrl);
            return new JwksSnapshot(keys, attemptedAt, attemptedAt, LastAttemptFailed: false);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            // A timeout surfaces as TaskCanceledException: the token passed in is never cancelled.
            LogFetchFailed(logger, exception, options.JwksUrl);
            return previous with { AttemptedAt = attemptedAt, LastAttemptFailed = true };
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} Clerk signing key(s) from {JwksUrl}")]
    private static partial void LogFetched(ILogger logger, int count, Uri jwksUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clerk's JWKS at {JwksUrl} could not be fetched; session tokens are refused until it can")]
    private static partial void LogFetchFailed(ILogger logger, Exception exception, Uri jwksUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clerk's JWKS at {JwksUrl} holds no RSA-2048+ RS256 signing key; session tokens are refused until it does")]
    private static partial void LogNoUsableKey(ILogger logger, Uri jwksUrl);

    /// <summary>What the last fetches left: the keys of the last good one, and how the last attempt went.</summary>
    private sealed record JwksSnapshot(
        IReadOnlyDictionary<string, RsaVerificationKey> Keys,
        DateTimeOffset? FetchedAt,
        DateTimeOffset AttemptedAt,
        bool LastAttemptFailed)
    {
        public static readonly JwksSnapshot Empty = new(new Dictionary<string, RsaVerificationKey>(), null, DateTimeOffset.MinValue, false);
    }
}
