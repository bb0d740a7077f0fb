using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.InboundRouter.Caching;
using OrdersMail.InboundRouter.Ingress;
using OrdersMail.InboundRouter.Recovery;

namespace OrdersMail.InboundRouter.Secrets;

/// <summary>
/// The verifier for each inbox: the secret of the webhook that feeds it now, from memory, else the router's schema,
/// else AgentMail. An inbox the bus has not told about yet is asked of AgentMail once (concurrent events share the
/// question; an inbox AgentMail does not know is not asked about again for a moment, so forged events cannot flood it).
/// A signature that does not match makes the secret be read again from AgentMail, at most every
/// <see cref="IngressOptions.SecretRefreshEvery"/> per inbox counted from the question, never answered by a load of the
/// stored secret running meanwhile: a rotated secret or a replaced webhook works again from the next event.
/// Those two questions are asked on behalf of events nobody has verified yet, so anyone can cause them: together they
/// share a budget (<see cref="IngressOptions.UnverifiedLookupsPerSecond"/>), beyond which an event is refused with a retry
/// welcome rather than passed on to AgentMail, and what is remembered of unknown inboxes is pruned as it runs out, so
/// forged events naming ever new inboxes cost neither AgentMail's rate limit nor the router's memory. A lookup the
/// database failed throws <see cref="SecretStoreUnavailableException"/>; one AgentMail failed, AgentMail's own exception.
/// </summary>
public sealed partial class InboxSecrets(
    InboxWebhookStore store,
    IAgentMailDirectory agentMail,
    MissedMailSignal missedMail,
    IOptions<IngressOptions> options,
    TimeProvider clock,
    ILogger<InboxSecrets> logger) : IDisposable
{
    // The fewest entries at which a write sweeps out what has run out (ExpiringMap): with the budget, at most a few
    // seconds' worth of unknown inboxes are live, and a minute's worth of known ones.
    private const int SweepAtLeast = 1_024;

    private readonly IngressOptions _options = options.Value;
    private readonly TokenBucketRateLimiter _unverifiedLookups = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = options.Value.UnverifiedLookupsPerSecond,
        TokensPerPeriod = options.Value.UnverifiedLookupsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    private readonly ExpiringMap<Known> _known = new(clock, SweepAtLeast);
    private readonly ExpiringMap<bool> _unknown = new(clock, SweepAtLeast);
    private readonly ExpiringMap<bool> _refreshedLately = new(clock, SweepAtLeast);
    private readonly ConcurrentDictionary<string, Load> _loading = new(StringComparer.Ordinal);

    /// <summary>The verifier of the inbox's current webhook, or null when no webhook is known to feed it.</summary>
    public Task<SvixWebhookVerifier?> VerifierAsync(string inboxId) =>
        _known.TryGetLive(inboxId, out var known)
            ? Task.FromResult<SvixWebhookVerifier?>(known.Verifier)
            : LoadSharedAsync(inboxId, refresh: false);

    /// <summary>After a mismatch: the verifier of a secret read again, or null when it was read too recently or did not change.</summary>
    public async Task<SvixWebhookVerifier?> RefreshedVerifierAsync(string inboxId, SvixWebhookVerifier mismatched)
    {
        if (_refreshedLately.TryGetLive(inboxId, out _))
        {
            return null;
        }

        using var lease = _unverifiedLookups.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            return null;
        }

        var refreshed = await LoadSharedAsync(inboxId, refresh: true);
        return ReferenceEquals(refreshed, mismatched) ? null : refreshed;
    }

    /// <inheritdoc />
    public void Dispose() => _unverifiedLookups.Dispose();

    /// <summary>The bus said the inbox's webhook changed: the next event reads it again.</summary>
    public void Forget(string inboxId)
    {
        _known.Remove(inboxId);
        _unknown.Remove(inboxId);
    }

    // One load of an inbox at a time, shared by whoever asks meanwhile. An ordinary load joins a refresh, whose secret
    // is the newer; a refresh never joins an ordinary load, which answers with the stored secret that just did not match
    // (the event refused, and the refresh it was owed put off SecretRefreshEvery): it waits for it to end, then asks
    // AgentMail. Run side by side, the later of the two to remember its secret would win, the stale one as often as not.
    private async Task<SvixWebhookVerifier?> LoadSharedAsync(string inboxId, bool refresh)
    {
        while (true)
        {
            var load = _loading.GetOrAdd(inboxId, id => new Load(refresh, new Lazy<Task<Known?>>(() => LoadAsync(id, refresh))));
            if (!refresh || load.Refresh)
            {
                try
                {
                    var known = await load.Known.Value;
                    return known?.Verifier;
                }
                finally
                {
                    _loading.TryRemove(new KeyValuePair<string, Load>(inboxId, load));
                }
            }

            // Its outcome, a failure too, is its own callers'.
            await ((Task)load.Known.Value).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _loading.TryRemove(new KeyValuePair<string, Load>(inboxId, load));
        }
    }

    private async Task<Known?> LoadAsync(string inboxId, bool refresh)
    {
        using var timeout = new CancellationTokenSource(_options.SecretLookupTimeout);
        var cancellationToken = timeout.Token;
        var row = await FromStoreAsync(inboxId, () => store.FindAsync(inboxId, cancellationToken), cancellationToken);
        if (row is { } current)
        {
            // A retired webhook is never trusted again, even by a row the retirement left naming it: the inbox is
            // looked up as if the webhook were gone.
            var secret = current.Retired ? null
                : current.Secret is not null && !refresh ? current.Secret
                : await AskSecretAsync(inboxId, current.WebhookId, refresh, cancellationToken);
            if (secret is null)
            {
                LogWebhookGone(logger, inboxId, current.WebhookId);
                return await DiscoverAsync(inboxId, current.WebhookId, refresh, cancellationToken);
            }

            if (secret != current.Secret)
            {
                await FromStoreAsync(inboxId, () => store.SaveSecretAsync(inboxId, current.WebhookId, secret, cancellationToken), cancellationToken);
            }

            return Remember(inboxId, current.WebhookId, secret);
        }

        return await DiscoverAsync(inboxId, goneWebhookId: null, refresh, cancellationToken);
    }

    private Task<string?> AskSecretAsync(string inboxId, string webhookId, bool refresh, CancellationToken cancellationToken)
    {
        if (refresh)
        {
            Refreshing(inboxId);
        }

        return agentMail.FindSecretAsync(inboxId, webhookId, cancellationToken);
    }

    // Set as a refresh asks AgentMail, not before: a refresh the database failed first asked nothing, and must not put
    // off the next one. Set before the answer, so that events mismatching meanwhile do not ask again.
    private void Refreshing(string inboxId) => _refreshedLately.Set(inboxId, true, clock.GetUtcNow() + _options.SecretRefreshEvery);

    // AgentMail is asked which webhook feeds the inbox: when the webhook fires before InboxReady is consumed, and when the
    // one the router knows is gone at AgentMail without a replacement on the bus (its announcement lost, or a webhook
    // made again by hand in AgentMail's console): the inbox then moves to the webhook AgentMail names, the gone one is
    // retired, and the mail the inbox received in between is looked for (MissedMailPump).
    private async Task<Known?> DiscoverAsync(string inboxId, string? goneWebhookId, bool refresh, CancellationToken cancellationToken)
    {
        if (_unknown.TryGetLive(inboxId, out _))
        {
            return null;
        }

        using (var lease = _unverifiedLookups.AttemptAcquire())
        {
            if (!lease.IsAcquired)
            {
                throw new UnverifiedLookupsExhaustedException($"AgentMail was asked about unverified events as often as allowed this second; inbox {inboxId} is not looked up now.");
            }
        }

        if (refresh)
        {
            Refreshing(inboxId);
        }

        var webhookId = await agentMail.FindInboxWebhookAsync(inboxId, cancellationToken);
        var secret = webhookId is null ? null : await agentMail.FindSecretAsync(inboxId, webhookId, cancellationToken);
        if (webhookId is null || secret is null)
        {
            RememberUnknown(inboxId);
            return null;
        }

        if (goneWebhookId is null)
        {
            await FromStoreAsync(inboxId, () => store.AddDiscoveredAsync(inboxId, webhookId, secret, cancellationToken), cancellationToken);
        }
        else if (await FromStoreAsync(inboxId, () => store.ReplaceGoneAsync(inboxId, goneWebhookId, webhookId, secret, cancellationToken), cancellationToken))
        {
            LogMoved(logger, inboxId, goneWebhookId, webhookId);
            missedMail.Notify();
        }

        // The bus may have told of another webhook meanwhile, or this one may be retired: the table decides.
        return await FromStoreAsync(inboxId, () => store.FindAsync(inboxId, cancellationToken), cancellationToken) is { } stored && stored.WebhookId == webhookId && !stored.Retired
            ? Remember(inboxId, webhookId, secret)
            : null;
    }

    // The database failed what the lookup asked of it, or had not answered when the lookup's time ran out (a pool with no
    // connection free, a lock): told apart from AgentMail's failures, as the event then gets 503, not a refusal.
    private static async Task<T> FromStoreAsync<T>(string inboxId, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException || (e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw new SecretStoreUnavailableException($"The database could not say which webhook and secret inbox {inboxId} has.", e);
        }
    }

    private static Task<bool> FromStoreAsync(string inboxId, Func<Task> call, CancellationToken cancellationToken) =>
        FromStoreAsync(
            inboxId,
            async () =>
            {
                await call();
                return true;
            },
            cancellationToken);

    private void RememberUnknown(string inboxId) => _unknown.Set(inboxId, true, clock.GetUtcNow() + _options.UnknownInboxRetryAfter);

    private Known? Remember(string inboxId, string webhookId, string secret)
    {
        var until = clock.GetUtcNow() + _options.SecretCacheFor;
        if (_known.TryGetAny(inboxId, out var existing) && existing.WebhookId == webhookId && existing.Secret == secret)
        {
            _known.Set(inboxId, existing, until);
            return existing;
        }

        SvixWebhookVerifier verifier;
        try
        {
            verifier = new SvixWebhookVerifier(secret, clock);
        }
        catch (ArgumentException)
        {
            LogUnusableSecret(logger, inboxId, webhookId);
            return null;
        }

        var known = new Known(webhookId, secret, verifier);
        _known.Set(inboxId, known, until);
        return known;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress: inbox {InboxId} is fed by webhook {WebhookId} now, which AgentMail names in place of the gone {GoneWebhookId}; the mail it received in between is looked for")]
    private static partial void LogMoved(ILogger logger, string inboxId, string goneWebhookId, string webhookId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress: webhook {WebhookId} of inbox {InboxId} is gone, retired or no longer scoped to it")]
    private static partial void LogWebhookGone(ILogger logger, string inboxId, string webhookId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingress: AgentMail gave webhook {WebhookId} of inbox {InboxId} a secret that is not whsec_ base64")]
    private static partial void LogUnusableSecret(ILogger logger, string inboxId, string webhookId);

    // A load in flight, and whether it asks AgentMail for the secret whatever the router stored.
    private sealed record Load(bool Refresh, Lazy<Task<Known?>> Known);

    // The secret is kept to tell a rotation from the same secret; it is left out of the printed form.
    private sealed record Known(string WebhookId, string Secret, SvixWebhookVerifier Verifier)
    {
        public override string ToString() => $"Known {{ WebhookId = {WebhookId} }}";
    }
}
