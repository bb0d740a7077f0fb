namespace OrdersMail.MailSandbox.Webhooks;

/// <summary>One event for one endpoint, as Svix holds it: signed and sent on every attempt with the same <see cref="SvixId"/>.</summary>
/// <param name="Api">The API whose event it is (<c>agentmail</c> or <c>resend</c>).</param>
/// <param name="EndpointId">The webhook (AgentMail <c>webhook_id</c>) or endpoint (Resend) it goes to.</param>
/// <param name="Url">Where it is POSTed.</param>
/// <param name="Secret">The endpoint's <c>whsec_</c> secret it is signed with.</param>
/// <param name="SvixId">The <c>svix-id</c>, stable across retries.</param>
/// <param name="EventType">e.g. <c>message.received</c>, <c>email.delivered</c>.</param>
/// <param name="Body">The exact JSON sent (and signed).</param>
/// <param name="Headers">The endpoint's custom headers, sent on every attempt.</param>
/// <param name="TraceParent">
/// The W3C <c>traceparent</c> of the request that caused the event (an email sent, a reply), sent on every attempt, so
/// the receiver's handling joins the sender's trace as it would with a provider that propagates it.
/// </param>
public sealed record WebhookMessage(
    string Api,
    string EndpointId,
    string Url,
    string Secret,
    string SvixId,
    string EventType,
    string Body,
    IReadOnlyDictionary<string, string> Headers,
    string? TraceParent = null);
