using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OrdersMail.Integrations.Resend;

/// <summary>
/// Keeps the client under Resend's rate limit (docs/resend.md §3) instead of learning it from 429s: every attempt
/// takes a token from a bucket of <see cref="ResendOptions.RequestsPerSecond"/> (Resend's default is 5 per team), and
/// waits out what the server says: after a 429 its <c>retry-after</c>, after <c>ratelimit-remaining: 0</c> the time
/// one request needs to come free (<c>ratelimit-limit</c> per second, at most <c>ratelimit-reset</c>). Each attempt waits
/// its turn in the resilience pipeline (<see cref="ResendPacing"/>), so a retry takes a token too, as it does at Resend,
/// and a handler below it tells the gate what each answer says (<see cref="ResendRateGateHandler"/>). While Resend's
/// quota is used up (<see cref="ResendQuota"/>) it lets nothing through: each request is refused at once, unsent.
/// One per process: the handlers the client factory renews all share it.
/// </summary>
public sealed class ResendRateGate : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;
    private readonly ResendQuota _quota;
    private readonly TimeProvider _time;
    private readonly TimeSpan _longestPause;
    private long _pausedUntilTicks;

    /// <summary>A full bucket at the configured rate.</summary>
    public ResendRateGate(IOptions<ResendOptions> options, ResendQuota quota, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _quota = quota ?? throw new ArgumentNullException(nameof(quota));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _longestPause = settings.MaxRetryAfter;
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            // One token short of Resend's own bucket: the two refill out of step (this one's timer ticks from its
            // creation, Resend's from its last request, and requests arrive late by however long the network and the
            // machine take), so an early token here would meet an empty bucket there. The spare absorbs that; the
            // steady rate is the same.
            TokenLimit = Math.Max(1, settings.RequestsPerSecond - 1),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1.0 / settings.RequestsPerSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>Requests that may go to Resend right now without waiting (a pause the server asked for counts as none).</summary>
    public long AvailableNow => IsPaused || _quota.Refusal() is not null ? 0 : _bucket.GetStatistics()?.CurrentAvailablePermits ?? 0;

    /// <summary>
    /// Waits until the next request may go to Resend: until a pause the server asked for is over, then for a token. A
    /// token is taken only after the pause: taken during it, every request queued then would wake at its end at once,
    /// however many the bucket had handed out meanwhile, and a burst past the limit would bring the next 429.
    /// </summary>
    /// <exception cref="ResendQuotaExceededException">Resend's quota is used up: the request must not go.</exception>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        // A pause that began while this request waited for its token spent that token: the request waits the pause
        // out and queues again, as the others do. A quota pause is not waited out (it lasts minutes): refused at once,
        // the caller holds nothing meanwhile.
        while (true)
        {
            if (_quota.Refusal() is { } refusal)
            {
                throw refusal;
            }

            await PauseAsync(cancellationToken);
            using var lease = await _bucket.AcquireAsync(1, cancellationToken);

            // The queue is unbounded, so a lease is refused only when the limiter is disposed (the host stopping).
            if (!lease.IsAcquired)
            {
                throw new OperationCanceledException("The Resend rate gate has stopped.");
            }

            if (!IsPaused && _quota.Refusal() is null)
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _bucket.Dispose();

    private bool IsPaused => Interlocked.Read(ref _pausedUntilTicks) > _time.GetUtcNow().UtcTicks;

    // Waits out a pause the server asked for, if any.
    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromTicks(Interlocked.Read(ref _pausedUntilTicks) - _time.GetUtcNow().UtcTicks);
        if (pause > TimeSpan.Zero)
        {
            await Task.Delay(pause, _time, cancellationToken);
        }
    }

    /// <summary>Takes in what an answer says about the limit: the requests after it wait when it says so.</summary>
    public void Observe(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        TimeSpan wait;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            wait = headers.RetryAfter?.Delta ?? Seconds(headers, "ratelimit-reset") ?? TimeSpan.FromSeconds(1);
        }
        else if (Number(headers, "ratelimit-remaining") == 0)
        {
            var oneRequest = Number(headers, "ratelimit-limit") is { } limit and > 0 ? TimeSpan.FromSeconds(1.0 / limit) : TimeSpan.FromSeconds(1);
            wait = Seconds(headers, "ratelimit-reset") is { } reset && reset < oneRequest ? reset : oneRequest;
        }
        else
        {
            return;
        }

        var until = (_time.GetUtcNow() + (wait < _longestPause ? wait : _longestPause)).UtcTicks;
        for (var current = Interlocked.Read(ref _pausedUntilTicks); current < until; current = Interlocked.Read(ref _pausedUntilTicks))
        {
            if (Interlocked.CompareExchange(ref _pausedUntilTicks, until, current) == current)
            {
                return;
            }
        }
    }

    private static TimeSpan? Seconds(System.Net.Http.Headers.HttpResponseHeaders headers, string name) =>
        Number(headers, name) is { } seconds and >= 0 ? TimeSpan.FromSeconds(seconds) : null;

    private static int? Number(System.Net.Http.Headers.HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
