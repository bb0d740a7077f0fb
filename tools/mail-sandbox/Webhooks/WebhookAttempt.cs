namespace OrdersMail.MailSandbox.Webhooks;

/// <summary>One delivery attempt and how the receiver answered it, listed by <c>GET /sandbox/webhook-attempts</c>.</summary>
/// <param name="Api">The API whose event it was.</param>
/// <param name="EndpointId">The webhook or endpoint it went to.</param>
/// <param name="Url">Where it was POSTed.</param>
/// <param name="SvixId">The <c>svix-id</c> (the same on every attempt of one message).</param>
/// <param name="EventType">The event type.</param>
/// <param name="Attempt">1 for the first attempt, 2 for the first retry...</param>
/// <param name="Timestamp">The <c>svix-timestamp</c> of this attempt.</param>
/// <param name="Signature">The <c>svix-signature</c> sent.</param>
/// <param name="Body">The body sent.</param>
/// <param name="StatusCode">The receiver's status, or null when it did not answer.</param>
/// <param name="Error">Why there was no answer (timeout, connection refused), if so.</param>
/// <param name="ResponseBody">The start of the receiver's answer.</param>
/// <param name="DurationMs">How long the attempt took.</param>
/// <param name="At">When it was made.</param>
/// <param name="TraceParent">The <c>traceparent</c> header sent, if the event was caused inside a trace.</param>
public sealed record WebhookAttempt(
    string Api,
    string EndpointId,
    string Url,
    string SvixId,
    string EventType,
    int Attempt,
    long Timestamp,
    string Signature,
    string Body,
    int? StatusCode,
    string? Error,
    string? ResponseBody,
    double DurationMs,
    DateTimeOffset At,
    string? TraceParent = null)
{
    /// <summary>Svix's rule: a 2xx is success; anything else, 3xx included, is retried.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
