namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>
/// An AgentMail webhook as the API returns it, minus its signing <c>secret</c>: that is deliberately not part of the
/// model, so it can never reach the bus or a log. Lists the API leaves out are empty here.
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
