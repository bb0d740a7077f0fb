using System.Text.Json;

namespace OrdersMail.Integrations.AgentMail;

/// <summary>An AgentMail inbox as the API returns it.</summary>
/// <param name="InboxId">The inbox's id, which is its email address (<c>cust-42@agentmail.to</c>).</param>
/// <param name="Email">The same address.</param>
/// <param name="DisplayName">Its display name, if any.</param>
/// <param name="ClientId">The idempotency key it was created with, if any.</param>
/// <param name="Metadata">Its metadata (values are strings, numbers or booleans), or null when it has none.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record AgentMailInbox(
    string InboxId,
    string Email,
    string? DisplayName,
    string? ClientId,
    IReadOnlyDictionary<string, JsonElement>? Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// An AgentMail webhook as the API returns it, minus its signing <c>secret</c>: that is deliberately not part of the
/// model, so it can never reach the bus or a log (<see cref="AgentMailClient.GetWebhookSecretAsync"/> reads it on its
/// own). Lists the API leaves out are empty here.
/// </summary>
/// <param name="WebhookId">The webhook's id (a Svix endpoint id, <c>ep_…</c>).</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="EventTypes">The events it receives.</param>
/// <param name="InboxIds">The inboxes it is scoped to; empty with no pods means org-wide.</param>
/// <param name="PodIds">The pods it is scoped to.</param>
/// <param name="Enabled">Whether it receives events.</param>
/// <param name="ClientId">The idempotency key it was created with, if any.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record AgentMailWebhook(
    string WebhookId,
    string Url,
    IReadOnlyList<string> EventTypes,
    IReadOnlyList<string> InboxIds,
    IReadOnlyList<string> PodIds,
    bool Enabled,
    string? ClientId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A page of inboxes, and the token of the next one (null on the last page).</summary>
/// <param name="Inboxes">The page's inboxes.</param>
/// <param name="NextPageToken">What asks for the next page.</param>
public sealed record InboxPage(IReadOnlyList<AgentMailInbox> Inboxes, string? NextPageToken);

/// <summary>A page of webhooks, and the token of the next one (null on the last page).</summary>
/// <param name="Webhooks">The page's webhooks.</param>
/// <param name="NextPageToken">What asks for the next page.</param>
public sealed record WebhookPage(IReadOnlyList<AgentMailWebhook> Webhooks, string? NextPageToken);

/// <summary>
/// A webhook's <c>whsec_…</c> signing secret, for verifying the webhook's deliveries and nothing else. The secret is a
/// method's answer, not a property, so no serializer (the bus's, a structured log's) ever writes it, and
/// <see cref="ToString"/> names the webhook without it.
/// </summary>
public sealed class WebhookSecret
{
    private readonly string _secret;

    /// <summary>Holds <paramref name="secret"/>, the signing secret of webhook <paramref name="webhookId"/>.</summary>
    public WebhookSecret(string webhookId, string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        WebhookId = webhookId;
        _secret = secret;
    }

    /// <summary>The webhook it signs for (<c>ep_…</c>).</summary>
    public string WebhookId { get; }

    /// <summary>The secret itself, to hand to a signature verifier.</summary>
    public string Reveal() => _secret;

    /// <summary>The webhook's id, never the secret.</summary>
    public override string ToString() => $"WebhookSecret {{ WebhookId = {WebhookId}, Secret = *** }}";
}

/// <summary>An AgentMail message (<c>Message</c>), received or sent. Lists the API leaves out are empty here.</summary>
/// <param name="InboxId">The inbox it is in.</param>
/// <param name="ThreadId">Its thread.</param>
/// <param name="MessageId">Its RFC 5322 Message-ID, angle brackets included (<c>&lt;…@…&gt;</c>).</param>
/// <param name="Labels">Its labels (<c>received</c>, <c>unread</c>, <c>sent</c>...).</param>
/// <param name="Timestamp">When it was sent.</param>
/// <param name="From">The sender, <c>addr</c> or <c>Name &lt;addr&gt;</c>.</param>
/// <param name="To">Its recipients.</param>
/// <param name="Cc">Its copy recipients.</param>
/// <param name="ReplyTo">Where replies should go instead of <paramref name="From"/>.</param>
/// <param name="Subject">Its subject, if any.</param>
/// <param name="Preview">The first characters of its text, if any.</param>
/// <param name="Text">Its plain-text body, if any.</param>
/// <param name="Html">Its HTML body, if any.</param>
/// <param name="ExtractedText">A reply's new text without the quoted history, if AgentMail found one.</param>
/// <param name="ExtractedHtml">The same of its HTML body, if AgentMail found one.</param>
/// <param name="InReplyTo">The Message-ID it answers, if any.</param>
/// <param name="References">The thread's Message-IDs, oldest first.</param>
/// <param name="CreatedAt">When AgentMail stored it.</param>
/// <param name="UpdatedAt">When it last changed (labels).</param>
public sealed record AgentMailMessage(
    string InboxId,
    string ThreadId,
    string MessageId,
    IReadOnlyList<string> Labels,
    DateTimeOffset Timestamp,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    IReadOnlyList<string> ReplyTo,
    string? Subject,
    string? Preview,
    string? Text,
    string? Html,
    string? ExtractedText,
    string? ExtractedHtml,
    string? InReplyTo,
    IReadOnlyList<string> References,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A message as a list shows it: everything but its bodies.</summary>
/// <param name="InboxId">The inbox it is in.</param>
/// <param name="ThreadId">Its thread.</param>
/// <param name="MessageId">Its Message-ID, angle brackets included.</param>
/// <param name="Labels">Its labels (<c>received</c>, <c>sent</c>, <c>unread</c>...).</param>
/// <param name="Timestamp">When it was sent.</param>
/// <param name="From">The sender, <c>addr</c> or <c>Name &lt;addr&gt;</c>.</param>
/// <param name="Subject">Its subject, if any.</param>
/// <param name="InReplyTo">The Message-ID it answers, if any.</param>
/// <param name="References">The thread's Message-IDs, oldest first.</param>
/// <param name="Headers">Its headers that AgentMail keeps (<c>Auto-Submitted</c>...).</param>
/// <param name="CreatedAt">When AgentMail stored it (received it, for received mail), by AgentMail's clock; null if the row did not say.</param>
public sealed record AgentMailMessageItem(
    string InboxId,
    string ThreadId,
    string MessageId,
    IReadOnlyList<string> Labels,
    DateTimeOffset Timestamp,
    string From,
    string? Subject,
    string? InReplyTo,
    IReadOnlyList<string> References,
    IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset? CreatedAt = null);

/// <summary>A page of messages, and the token of the next one (null on the last page).</summary>
/// <param name="Messages">The page's messages.</param>
/// <param name="NextPageToken">What asks for the next page.</param>
public sealed record MessagePage(IReadOnlyList<AgentMailMessageItem> Messages, string? NextPageToken);

/// <summary>What AgentMail answers to a send or a reply: the new message's ids.</summary>
/// <param name="MessageId">The sent message's Message-ID, angle brackets included.</param>
/// <param name="ThreadId">The thread it is in.</param>
public sealed record SentMessage(string MessageId, string ThreadId);
