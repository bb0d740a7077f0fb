namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>What to create an inbox with (<c>POST /v0/inboxes</c>).</summary>
/// <param name="Username">The part before the <c>@</c>; null lets AgentMail pick a random one.</param>
/// <param name="DisplayName">Rendered as <c>Display Name &lt;address&gt;</c>; null for none.</param>
/// <param name="ClientId">
/// The idempotency key, deterministic per logical inbox (e.g. <c>inbox-cust-42</c>; 1–256 of <c>A-Z a-z 0-9 - . _ ~</c>,
/// no <c>@</c>): a create repeated with it returns the inbox it first created, which is what makes retrying it safe.
/// </param>
/// <param name="Metadata">String metadata stored on the inbox (at most 256 keys); empty for none.</param>
public sealed record CreateInbox(string? Username, string? DisplayName, string ClientId, IReadOnlyDictionary<string, string> Metadata);
