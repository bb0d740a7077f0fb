namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// A token bucket: holds up to <c>rate</c> tokens, refills at <c>rate</c> per second, and each request takes one.
/// A burst of <c>rate</c> requests passes at once, after which requests pass at the steady rate.
/// </summary>
public sealed class TokenBucket
{
    private readonly Lock _lock = new();
    private readonly int _rate;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _refilledAt;

    /// <summary>A full bucket.</summary>
    public TokenBucket(int rate, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 1);
        ArgumentNullException.ThrowIfNull(time);
        _rate = rate;
        _time = time;
        _tokens = rate;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>Takes a token if there is one, and says what the <c>ratelimit-*</c> headers should.</summary>
    public RateLimitDecision Take()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_rate, _tokens + (_time.GetElapsedTime(_refilledAt, now).TotalSeconds * _rate));
            _refilledAt = now;

            var allowed = _tokens >= 1;
            if (allowed)
            {
                _tokens -= 1;
            }

            return new RateLimitDecision(
                allowed,
                _rate,
                (int)Math.Floor(_tokens),
                SecondsUntil(_rate),
                allowed ? 0 : SecondsUntil(1));
        }
    }

    // Whole seconds (headers carry integers) until the bucket holds this many tokens; at least 1 when short.
    private int SecondsUntil(double tokens) => _tokens >= tokens ? 0 : Math.Max(1, (int)Math.Ceiling((tokens - _tokens) / _rate));
}

/// <summary>The outcome of taking a token.</summary>
/// <param name="Allowed">Whether the request may proceed.</param>
/// <param name="Limit">Requests per second (<c>ratelimit-limit</c>).</param>
/// <param name="Remaining">Tokens left (<c>ratelimit-remaining</c>).</param>
/// <param name="ResetSeconds">Seconds until the bucket is full again (<c>ratelimit-reset</c>).</param>
/// <param name="RetryAfterSeconds">Seconds until a token is free (<c>retry-after</c>), when refused.</param>
public sealed record RateLimitDecision(bool Allowed, int Limit, int Remaining, int ResetSeconds, int RetryAfterSeconds);
