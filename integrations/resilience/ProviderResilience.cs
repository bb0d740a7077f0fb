using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace OrdersMail.Integrations.Resilience;

/// <summary>The rules every provider client (AgentMail, Resend) applies the same way.</summary>
public static class ProviderResilience
{
    /// <summary>
    /// What a circuit breaker counts: a transient failure other than 429. A rate limit is the provider working as
    /// designed (its Retry-After says when to come back); counting it would open the circuit on a busy but healthy
    /// service and turn a short wait into a longer outage.
    /// </summary>
    private static bool IsServiceFailure(Outcome<HttpResponseMessage> outcome) =>
        HttpClientResiliencePredicates.IsTransient(outcome) && outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests;

    /// <summary>
    /// Adds a provider client's strategies to the pipeline <c>AddResilienceHandler</c> builds, outermost first: a retry
    /// of transient failures (408, 429, 5xx, no answer, an attempt timed out; none when <c>MaxRetries</c> is 0), waiting
    /// as <c>Retry-After</c> asks up to <c>MaxRetryAfter</c>, else backing off exponentially with jitter; a circuit
    /// breaker counting the same failures less 429 (<see cref="IsServiceFailure"/>); a timeout on each attempt. What
    /// each provider logs or notes when a strategy acts comes in through <paramref name="events"/>; a provider that
    /// paces its attempts gives the pacing as <paramref name="pacing"/>, which each attempt passes between the retry and
    /// the breaker, so its wait is neither timed as the attempt nor counted as a failure.
    /// </summary>
    public static ResiliencePipelineBuilder<HttpResponseMessage> AddStrategies(
        this ResiliencePipelineBuilder<HttpResponseMessage> pipeline,
        ProviderResilienceOptions settings,
        ProviderPipelineEvents events,
        Func<ResilienceStrategy>? pacing = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(events);
        if (settings.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                // The library's default, stated: the circuit breaker counts the same outcomes less 429.
                ShouldHandle = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                ShouldRetryAfterHeader = true,
                OnRetry = events.OnRetry,
            }.WithRetryAfterCappedAt(settings.MaxRetryAfter));
        }

        if (pacing is not null)
        {
            pipeline.AddStrategy(_ => pacing(), new PacingOptions { Name = "pacing" });
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(IsServiceFailure(args.Outcome)),
            FailureRatio = settings.BreakerFailureRatio,
            MinimumThroughput = settings.BreakerMinimumThroughput,
            SamplingDuration = settings.BreakerSamplingDuration,
            BreakDuration = settings.BreakDuration,
            OnOpened = events.OnOpened,
            OnClosed = events.OnClosed,
        });

        return pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = settings.AttemptTimeout });
    }

    /// <summary>
    /// Caps the wait a <c>Retry-After</c> asks for. The library reads the header (seconds or HTTP-date) but honours
    /// any length, and <c>MaxDelay</c> does not apply to it: a server asking for an hour must not hold a caller that long.
    /// </summary>
    private static HttpRetryStrategyOptions WithRetryAfterCappedAt(this HttpRetryStrategyOptions retry, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var retryAfter = retry.DelayGenerator ?? throw new ArgumentException("ShouldRetryAfterHeader must be on.", nameof(retry));
        retry.DelayGenerator = async args => await retryAfter(args) switch
        {
            { } asked when asked > max => max,
            var asked => asked,
        };
        return retry;
    }
}

/// <summary>The options Polly asks of every strategy; pacing has none of its own.</summary>
internal sealed class PacingOptions : ResilienceStrategyOptions;

/// <summary>What a provider client does when its pipeline's strategies act (a log line, a note on the request); each may be left out.</summary>
public sealed record ProviderPipelineEvents
{
    /// <summary>A transient failure is about to be retried.</summary>
    public Func<OnRetryArguments<HttpResponseMessage>, ValueTask>? OnRetry { get; init; }

    /// <summary>The circuit opened: calls fail at once for the break.</summary>
    public Func<OnCircuitOpenedArguments<HttpResponseMessage>, ValueTask>? OnOpened { get; init; }

    /// <summary>The circuit closed again.</summary>
    public Func<OnCircuitClosedArguments<HttpResponseMessage>, ValueTask>? OnClosed { get; init; }
}
