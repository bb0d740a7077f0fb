namespace OrdersMail.MailSandbox.AgentMail.Webhooks;

/// <summary>A webhook as AgentMail stores it. Custom header values are write-only: never returned.</summary>
public sealed record StoredWebhook
{
    /// <summary>Svix endpoint id, <c>ep_…</c>.</summary>
    public required string WebhookId { get; init; }

    /// <summary>Where events are POSTed.</summary>
    public required string Url { get; init; }

    /// <summary>The events it receives.</summary>
    public required IReadOnlyList<string> EventTypes { get; init; }

    /// <summary>Pod scope; empty with no inbox scope = org-wide.</summary>
    public IReadOnlyList<string> PodIds { get; init; } = [];

    /// <summary>Inbox scope (at most 10); empty with no pod scope = org-wide (every inbox's events).</summary>
    public IReadOnlyList<string> InboxIds { get; init; } = [];

    /// <summary>The <c>whsec_</c> signing secret (returned on create and get).</summary>
    public required string Secret { get; init; }

    /// <summary>Disabled webhooks receive nothing.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The idempotency key it was created with.</summary>
    public string? ClientId { get; init; }

    /// <summary>Custom headers sent with each delivery.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Last change.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Creation.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
