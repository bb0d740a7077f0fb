using OrdersMail.MailSandbox.AgentMail.Inboxes;

namespace OrdersMail.MailSandbox.AgentMail.Webhooks;

/// <summary>
/// The <c>Webhook</c> object, the same on create, get, update and list: the <c>secret</c> is always included, the
/// custom header values never are (write-only), and empty lists are left out like every absent optional.
/// </summary>
public sealed record WebhookResponse
{
    /// <summary>The Svix endpoint id, <c>ep_…</c>.</summary>
    public required string WebhookId { get; init; }

    /// <summary>Where events are POSTed.</summary>
    public required string Url { get; init; }

    /// <summary>The events it receives.</summary>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>Its pod scope.</summary>
    public IReadOnlyList<string>? PodIds { get; init; }

    /// <summary>Its inbox scope.</summary>
    public IReadOnlyList<string>? InboxIds { get; init; }

    /// <summary>The <c>whsec_</c> signing secret.</summary>
    public required string Secret { get; init; }

    /// <summary>Whether it receives events.</summary>
    public required bool Enabled { get; init; }

    /// <summary>Last change.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Creation.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The idempotency key it was created with.</summary>
    public string? ClientId { get; init; }

    /// <summary>The response for a stored webhook.</summary>
    public static WebhookResponse Of(StoredWebhook webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return new WebhookResponse
        {
            WebhookId = webhook.WebhookId,
            Url = webhook.Url,
            EventTypes = webhook.EventTypes.Count > 0 ? webhook.EventTypes : null,
            PodIds = webhook.PodIds.Count > 0 ? webhook.PodIds : null,
            InboxIds = webhook.InboxIds.Count > 0 ? webhook.InboxIds : null,
            Secret = webhook.Secret,
            Enabled = webhook.Enabled,
            UpdatedAt = webhook.UpdatedAt,
            CreatedAt = webhook.CreatedAt,
            ClientId = webhook.ClientId,
        };
    }
}

/// <summary>The list body, <c>{count, limit, next_page_token?, webhooks}</c>.</summary>
/// <param name="Count">How many webhooks this page holds.</param>
/// <param name="Limit">The page size used.</param>
/// <param name="NextPageToken">The next page's token; absent on the last page.</param>
/// <param name="Webhooks">The page.</param>
public sealed record WebhookList(int Count, int Limit, string? NextPageToken, IReadOnlyList<WebhookResponse> Webhooks)
{
    /// <summary>The body for one page.</summary>
    public static WebhookList Of(ListPage<StoredWebhook> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new WebhookList(page.Items.Count, page.Limit, page.NextPageToken, [.. page.Items.Select(WebhookResponse.Of)]);
    }
}
