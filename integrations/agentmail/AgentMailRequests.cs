namespace OrdersMail.Integrations.AgentMail;

/// <summary>What to create an inbox with (<c>POST /v0/inboxes</c>).</summary>
/// <param name="Username">The part before the <c>@</c>; null lets AgentMail pick a random one.</param>
/// <param name="DisplayName">Rendered as <c>Display Name &lt;address&gt;</c>; null for none.</param>
/// <param name="ClientId">
/// The idempotency key, deterministic per logical inbox (e.g. <c>inbox-cust-42</c>; 1–256 of <c>A-Z a-z 0-9 - . _ ~</c>,
/// no <c>@</c>): a create repeated with it returns the inbox it first created, which is what makes retrying it safe.
/// </param>
/// <param name="Metadata">String metadata stored on the inbox (at most 256 keys); empty for none.</param>
public sealed record CreateInbox(string? Username, string? DisplayName, string ClientId, IReadOnlyDictionary<string, string> Metadata);

/// <summary>What to create an inbox-scoped webhook with (<c>POST /v0/inboxes/{inbox_id}/webhooks</c>).</summary>
/// <param name="Url">Where AgentMail POSTs the events.</param>
/// <param name="EventTypes">The events wanted (at least one), e.g. <c>message.received</c>.</param>
/// <param name="ClientId">
/// The idempotency key, org-wide and deterministic per logical webhook: a create repeated with it returns the webhook
/// it first created, which is what makes retrying it safe.
/// </param>
public sealed record CreateInboxWebhook(string Url, IReadOnlyList<string> EventTypes, string ClientId);

/// <summary>
/// What to answer a message with (<c>POST /v0/inboxes/{inbox_id}/messages/{message_id}/reply</c>). There is no
/// subject: AgentMail takes it, and <c>In-Reply-To</c>/<c>References</c>, from the message answered, so the reply
/// lands in the customer's thread.
/// </summary>
/// <param name="Text">The plain-text body; at least one of the two bodies.</param>
/// <param name="Html">The HTML body.</param>
/// <param name="To">
/// The recipients. Without them AgentMail answers the original's <c>Reply-To</c>, which nobody verified: a message whose
/// From is the customer's, and whose Reply-To is anyone's, would have the answer meant for the customer sent to anyone.
/// </param>
/// <param name="Headers">Headers the reply carries besides AgentMail's own (<c>Auto-Submitted</c>...); null for none.</param>
public sealed record ReplyToMessage(string? Text, string? Html, IReadOnlyList<string>? To = null, IReadOnlyDictionary<string, string>? Headers = null);
