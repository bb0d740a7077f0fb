namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>What to create an inbox-scoped webhook with (<c>POST /v0/inboxes/{inbox_id}/webhooks</c>).</summary>
/// <param name="Url">Where AgentMail POSTs the events.</param>
/// <param name="EventTypes">The events wanted (at least one), e.g. <c>message.received</c>.</param>
/// <param name="ClientId">
/// The idempotency key, org-wide and deterministic per logical webhook: a create repeated with it returns the webhook
/// it first created, which is what makes retrying it safe.
/// </param>
public sealed record CreateInboxWebhook(string Url, IReadOnlyList<string> EventTypes, string ClientId);
