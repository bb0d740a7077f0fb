using System.Net;
using Polly;
using Polly.Timeout;

namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>
/// Which outcomes of an attempt are transient, so worth retrying and counted by the circuit breaker: 408, 429, any
/// 5xx, no answer at all (<see cref="HttpRequestException"/>) and an attempt that timed out. Every other 4xx is
/// AgentMail's definitive answer; a caller's own cancellation is never a failure.
/// </summary>
internal static class AgentMailFailures
{
    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        HttpRequestException or TimeoutRejectedException => true,
        null => outcome.Result is { } response && IsTransientStatus(response.StatusCode),
        _ => false,
    };

    /// <summary>
    /// What the circuit breaker counts: a transient failure other than 429. A rate limit is AgentMail working as
    /// designed (its Retry-After says when to come back); counting it would open the circuit on a busy but healthy
    /// service and turn a short wait into a longer outage.
    /// </summary>
    public static bool IsServiceFailure(Outcome<HttpResponseMessage> outcome) =>
        IsTransient(outcome) && outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests;

    /// <summary>The failure in a few words for a log line: a status, or the kind of exception. Never a body.</summary>
    public static string Describe(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        TimeoutRejectedException timeout => $"timed out after {timeout.Timeout}",
        HttpRequestException request => $"no answer: {request.HttpRequestError}",
        { } other => other.GetType().Name,
        null => $"HTTP {(int?)outcome.Result?.StatusCode}",
    };
}
