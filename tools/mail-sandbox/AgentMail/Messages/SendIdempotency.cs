using System.Text.RegularExpressions;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// The <c>Idempotency-Key</c> header of send and reply. Keys are org-scoped (one table for every inbox), and
/// a key remembers the request it was first used with (a fingerprint of endpoint, inbox and canonical body) and its
/// result until 24 h after completion. Same key and same request: the original ids, nothing sent again. Different
/// request, or the first still in flight: 409. Only successful sends are remembered; a failed one frees its key.
/// </summary>
public sealed partial class SendIdempotency(TimeProvider time)
{
    /// <summary>The header's name.</summary>
    public const string HeaderName = "Idempotency-Key";

    /// <summary>How long a completed key is remembered.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Use> _uses = new(StringComparer.Ordinal);
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    /// <summary>The request's key (null without the header), or a 400 when the header is empty or malformed.</summary>
    public static (string? Key, IResult? Error) ReadKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValue(HeaderName, out var values))
        {
            return (null, null);
        }

        var key = values.ToString();
        return KeyShape().IsMatch(key)
            ? (key, null)
            : (null, AgentMailError.Validation(
                "Idempotency-Key must be 1-256 characters of A-Z a-z 0-9 - . _ ~.",
                new ValidationIssue(["headers", HeaderName], "Invalid idempotency key", "invalid_string")));
    }

    /// <summary>The fingerprint of one request: which endpoint, on what, with which body.</summary>
    public static string Fingerprint(string operation, string inboxId, string? messageId, System.Text.Json.JsonElement body) =>
        string.Join('\n', operation, inboxId.ToUpperInvariant(), messageId ?? "", CanonicalJson.Of(body));

    /// <summary>
    /// Runs <paramref name="send"/> under <paramref name="key"/> (or plainly without one) and answers its result,
    /// the remembered result of the same request, or 409.
    /// </summary>
    public IResult Run(string? key, string fingerprint, Func<(SendMessageResponse? Sent, IResult? Error)> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        if (key is null)
        {
            var (sent, error) = send();
            return error ?? Results.Json(sent, SandboxJson.Options);
        }

        var claim = Begin(key, fingerprint);
        if (claim.Original is not null)
        {
            return Results.Json(claim.Original, SandboxJson.Options);
        }

        if (claim.Conflict is not null)
        {
            return AgentMailError.Conflict(claim.Conflict);
        }

        try
        {
            var (sent, error) = send();
            if (sent is null)
            {
                Abandon(key);
                return error!;
            }

            Complete(key, sent);
            return Results.Json(sent, SandboxJson.Options);
        }
        catch
        {
            Abandon(key);
            throw;
        }
    }

    /// <summary>Claims <paramref name="key"/> for a request: free (both null: go ahead, then Complete or Abandon), a replay, or a conflict.</summary>
    public IdempotencyClaim Begin(string key, string fingerprint)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            SweepExpired(now);
            if (!_uses.TryGetValue(key, out var use) || use.ExpiresAt <= now)
            {
                _uses[key] = new Use(fingerprint, null, null);
                return new IdempotencyClaim(null, null);
            }

            if (use.Result is null)
            {
                return new IdempotencyClaim(null, "A request with this Idempotency-Key is still in progress.");
            }

            return use.Fingerprint == fingerprint
                ? new IdempotencyClaim(use.Result, null)
                : new IdempotencyClaim(null, "This Idempotency-Key was already used with a different request.");
        }
    }

    // Expired keys are swept out at most once a minute: a sweep looks at every key of the last 24 h, and every send used
    // to make one. A key expired but not swept yet is free all the same (Begin checks its expiry).
    private void SweepExpired(DateTimeOffset now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        foreach (var expired in _uses.Where(u => u.Value.ExpiresAt <= now).Select(u => u.Key).ToList())
        {
            _uses.Remove(expired);
        }

        _nextSweep = now + SweepEvery;
    }

    /// <summary>Remembers the result of the request that claimed <paramref name="key"/>.</summary>
    public void Complete(string key, SendMessageResponse result)
    {
        lock (_lock)
        {
            if (_uses.TryGetValue(key, out var use))
            {
                _uses[key] = use with { Result = result, ExpiresAt = time.GetUtcNow() + Retention };
            }
        }
    }

    /// <summary>Frees <paramref name="key"/> after its request failed.</summary>
    public void Abandon(string key)
    {
        lock (_lock)
        {
            _uses.Remove(key);
        }
    }

    /// <summary>Forgets every key.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _uses.Clear();
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9\-._~]{1,256}\z")]
    private static partial Regex KeyShape();

    private sealed record Use(string Fingerprint, SendMessageResponse? Result, DateTimeOffset? ExpiresAt);
}

/// <summary>The outcome of <see cref="SendIdempotency.Begin"/>.</summary>
/// <param name="Original">The remembered result of the same request: answer it, send nothing.</param>
/// <param name="Conflict">Why the key cannot be used for this request (409).</param>
public sealed record IdempotencyClaim(SendMessageResponse? Original, string? Conflict)
{
    /// <summary>True when the key is now held for this request.</summary>
    public bool Claimed => Original is null && Conflict is null;
}
