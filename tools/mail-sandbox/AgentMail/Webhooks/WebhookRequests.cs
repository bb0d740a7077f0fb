using OrdersMail.MailSandbox.AgentMail.Inboxes;

namespace OrdersMail.MailSandbox.AgentMail.Webhooks;

/// <summary>
/// <c>CreateWebhookRequest</c> (org level) or <c>CreateInboxWebhookRequest</c> (under an inbox, whose path sets the
/// scope: <c>inbox_ids</c> and <c>pod_ids</c> there are ignored, as zod strips members its schema lacks).
/// </summary>
/// <param name="Url">Where deliveries go.</param>
/// <param name="EventTypes">The events wanted, at least one.</param>
/// <param name="InboxIds">The inbox scope as sent (not yet checked against the store).</param>
/// <param name="PodIds">The pod scope as sent.</param>
/// <param name="ClientId">The idempotency key.</param>
/// <param name="Headers">Custom headers for every delivery.</param>
public sealed record CreateWebhookRequest(
    string Url,
    IReadOnlyList<string> EventTypes,
    IReadOnlyList<string> InboxIds,
    IReadOnlyList<string> PodIds,
    string? ClientId,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>Reads the request, recording its issues in <paramref name="body"/>; <paramref name="withScope"/> for the org-level body.</summary>
    public static CreateWebhookRequest Read(RequestBody body, bool withScope)
    {
        ArgumentNullException.ThrowIfNull(body);
        var podIds = withScope ? WebhookFields.ReadScopeIds(body, "pod_ids", limited: true) : [];
        var inboxIds = withScope ? WebhookFields.ReadScopeIds(body, "inbox_ids", limited: true) : [];
        return new CreateWebhookRequest(
            WebhookFields.ReadUrl(body),
            WebhookFields.ReadEventTypes(body, required: true) ?? [],
            inboxIds,
            podIds,
            ClientIdRules.Read(body),
            WebhookFields.ReadHeaders(body));
    }
}

/// <summary>
/// <c>UpdateWebhookRequest</c> (org level: scope changes and event types) or <c>UpdateInboxWebhookRequest</c>
/// (<c>event_types</c> only). There is no <c>url</c> and no <c>enabled</c>: such members are ignored.
/// </summary>
/// <param name="AddInboxIds">Inboxes to add to the scope.</param>
/// <param name="RemoveInboxIds">Inboxes to take out of it (applied after the additions).</param>
/// <param name="AddPodIds">Pods to add.</param>
/// <param name="RemovePodIds">Pods to take out.</param>
/// <param name="EventTypes">The full new set of event types, or null to keep the current one.</param>
public sealed record UpdateWebhookRequest(
    IReadOnlyList<string> AddInboxIds,
    IReadOnlyList<string> RemoveInboxIds,
    IReadOnlyList<string> AddPodIds,
    IReadOnlyList<string> RemovePodIds,
    IReadOnlyList<string>? EventTypes)
{
    /// <summary>Reads the request, recording its issues in <paramref name="body"/>; <paramref name="withScope"/> for the org-level body.</summary>
    public static UpdateWebhookRequest Read(RequestBody body, bool withScope)
    {
        ArgumentNullException.ThrowIfNull(body);
        return withScope
            ? new UpdateWebhookRequest(
                WebhookFields.ReadScopeIds(body, "add_inbox_ids", limited: false),
                WebhookFields.ReadScopeIds(body, "remove_inbox_ids", limited: false),
                WebhookFields.ReadScopeIds(body, "add_pod_ids", limited: false),
                WebhookFields.ReadScopeIds(body, "remove_pod_ids", limited: false),
                WebhookFields.ReadEventTypes(body, required: false))
            : new UpdateWebhookRequest([], [], [], [], WebhookFields.ReadEventTypes(body, required: false));
    }
}
