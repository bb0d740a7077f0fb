namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>
/// The <c>Webhook</c> object as read off the wire. It has no <c>secret</c> member, so the secret AgentMail sends is
/// dropped while parsing and never held in memory by the model.
/// </summary>
internal sealed record WebhookResponse(
    string WebhookId,
    string Url,
    IReadOnlyList<string>? EventTypes,
    IReadOnlyList<string>? InboxIds,
    IReadOnlyList<string>? PodIds,
    bool Enabled,
    string? ClientId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public AgentMailWebhook ToWebhook() =>
        new(WebhookId, Url, EventTypes ?? [], InboxIds ?? [], PodIds ?? [], Enabled, ClientId, CreatedAt, UpdatedAt);
}

/// <summary>One page of <c>GET /v0/webhooks</c>; no <c>next_page_token</c> on the last.</summary>
internal sealed record WebhookPage(IReadOnlyList<WebhookResponse>? Webhooks, string? NextPageToken);

/// <summary>AgentMail's <c>ErrorResponse</c>, plus the <c>suggestions</c> of <c>resource_taken</c>.</summary>
internal sealed record ErrorResponse(string? Name, string? Code, string? Message, IReadOnlyList<string>? Suggestions);
