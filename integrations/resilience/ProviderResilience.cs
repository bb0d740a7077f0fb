using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace OrdersMail.Integrations.Resilience;

/// <summary>The rules every provider client (AgentMail, Resend) applies the same way.</summary>
public static class ProviderResilience
{
    /// <summary>
    /// What a circuit breaker counts: a transient failure other than 429. A rate limit is the provider working as
    /// designed (its Retry-After says when to come back); counting it would open the circuit on a busy but healthy
    /// service and turn a short wait into a longer outage.
    /// </summary>
    public static bool IsServiceFailure(Outcome<HttpResponseMessage> outcome) =>
        HttpClientResiliencePredicates.IsTransient(outcome) && outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests;

    /// <summary>
    /// Caps the wait a <c>Retry-After</c> asks for. The library reads the header (seconds or HTTP-date) but honours
    /// any length, and <c>MaxDelay</c> does not apply to it: a server asking for an hour must not hold a caller that long.
    /// </summary>
    public static HttpRetryStrategyOptions WithRetryAfterCappedAt(this HttpRetryStrategyOptions retry, TimeSpan max)
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
