using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace OrdersMail.Integrations.AgentMail;

/// <summary>
/// The names of the client's AgentMail operations, as the mail sandbox's fault rules name them. They tag the
/// <c>agentmail.client.requests</c> metric and every retry logged.
/// </summary>
public static class AgentMailOperations
{
    /// <summary><c>POST /v0/inboxes</c>.</summary>
    public const string CreateInbox = "inboxes.create";

    /// <summary><c>GET /v0/inboxes</c>.</summary>
    public const string ListInboxes = "inboxes.list";

    /// <summary><c>GET /v0/inboxes/{inbox_id}</c>.</summary>
    public const string GetInbox = "inboxes.get";

    /// <summary><c>PATCH /v0/inboxes/{inbox_id}</c>.</summary>
    public const string UpdateInbox = "inboxes.update";

    /// <summary><c>DELETE /v0/inboxes/{inbox_id}</c>.</summary>
    public const string DeleteInbox = "inboxes.delete";

    /// <summary><c>POST /v0/inboxes/{inbox_id}/webhooks</c>.</summary>
    public const string CreateInboxWebhook = "inbox_webhooks.create";

    /// <summary><c>GET /v0/inboxes/{inbox_id}/webhooks</c>.</summary>
    public const string ListInboxWebhooks = "inbox_webhooks.list";

    /// <summary><c>GET /v0/webhooks</c>.</summary>
    public const string ListWebhooks = "webhooks.list";

    /// <summary><c>GET /v0/webhooks/{webhook_id}</c>, for the webhook or for its secret.</summary>
    public const string GetWebhook = "webhooks.get";

    /// <summary><c>PATCH /v0/webhooks/{webhook_id}</c>.</summary>
    public const string UpdateWebhook = "webhooks.update";

    /// <summary><c>DELETE /v0/webhooks/{webhook_id}</c>.</summary>
    public const string DeleteWebhook = "webhooks.delete";

    /// <summary><c>GET /v0/inboxes/{inbox_id}/messages</c>.</summary>
    public const string ListMessages = "messages.list";

    /// <summary><c>GET /v0/inboxes/{inbox_id}/messages/{message_id}</c>.</summary>
    public const string GetMessage = "messages.get";

    /// <summary><c>POST /v0/inboxes/{inbox_id}/messages/{message_id}/reply</c>.</summary>
    public const string ReplyToMessage = "messages.reply";

    /// <summary>Where a request carries its operation's name down to the call counter and the retry logs.</summary>
    internal static readonly HttpRequestOptionsKey<string> RequestOption = new("agentmail.operation");
}

/// <summary>
/// The client's instruments: one count per call (not per attempt), tagged with the <c>operation</c>
/// (<see cref="AgentMailOperations"/>) and its <c>outcome</c>.
/// </summary>
public sealed class AgentMailMetrics
{
    /// <summary>Calls to AgentMail, by operation and outcome.</summary>
    public const string Requests = "agentmail.client.requests";

    /// <summary>A 2xx answer.</summary>
    public const string Success = "success";

    /// <summary>A 404 answer.</summary>
    public const string NotFound = "not_found";

    /// <summary>Another definitive 4xx answer.</summary>
    public const string Rejected = "rejected";

    /// <summary>An answer past <see cref="AgentMailClient.MaxAnswerBytes"/>, refused unread.</summary>
    public const string TooLarge = "too_large";

    /// <summary>The caller cancelled the call.</summary>
    public const string Canceled = "canceled";

    private readonly Counter<long> _requests;

    /// <summary>Creates the instruments on <paramref name="meter"/> (the host's meter).</summary>
    public AgentMailMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _requests = meter.CreateCounter<long>(Requests, "{call}", "Calls to the AgentMail API, by operation and outcome.");
    }

    /// <summary>The outcome tag of a call AgentMail could not answer: <c>transient_status</c>, <c>unreachable</c>, <c>timeout</c>, <c>circuit_open</c>.</summary>
    public static string OutcomeOf(AgentMailUnavailableReason reason) => reason switch
    {
        AgentMailUnavailableReason.TransientStatus => "transient_status",
        AgentMailUnavailableReason.Unreachable => "unreachable",
        AgentMailUnavailableReason.Timeout => "timeout",
        _ => "circuit_open",
    };

    /// <summary>Counts one call of <paramref name="operation"/> that ended with <paramref name="outcome"/>.</summary>
    public void Record(string operation, string outcome) =>
        _requests.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", outcome));
}

/// <summary>
/// What the client logs: retries and circuit changes, with the operation and the failure's status or kind.
/// Never a body: webhook responses carry signing secrets, messages carry customers' mail.
/// </summary>
internal static partial class AgentMailLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "AgentMail {Operation}: attempt {Attempt} failed ({Failure}); retrying in {DelayMs} ms")]
    public static partial void RetryScheduled(ILogger logger, string operation, int attempt, string failure, long delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "AgentMail circuit opened by {Operation} ({Failure}): calls fail at once for {BreakDuration}")]
    public static partial void CircuitOpened(ILogger logger, string operation, string failure, TimeSpan breakDuration);

    [LoggerMessage(Level = LogLevel.Information, Message = "AgentMail circuit closed: calls go through again")]
    public static partial void CircuitClosed(ILogger logger);
}
