using OrdersMail.MailSandbox.AgentMail.Inboxes;

namespace OrdersMail.MailSandbox.AgentMail.Webhooks;

/// <summary>
/// The <c>stored_differs</c> fault: what a webhook create stores is not what was sent, while its response echoes
/// the request. A client that reads the webhook back after creating it (its reconcile step) sees the drift; one that
/// trusts the POST response does not.
/// </summary>
public static class WebhookDrift
{
    /// <summary>Stored with no inbox and no pod: org-wide, so it receives every inbox's events.</summary>
    public const string OrgWide = "org_wide";

    /// <summary>Stored scoped to another inbox than the ones requested.</summary>
    public const string OtherInbox = "other_inbox";

    /// <summary>Stored without the first requested event type.</summary>
    public const string MissingEventType = "missing_event_type";

    /// <summary>
    /// What is stored for <paramref name="requested"/> under <paramref name="mode"/> (null: no drift). The other inbox
    /// is the oldest existing one outside the request, or a made-up address when there is none. Caller holds the lock.
    /// </summary>
    public static StoredWebhook Apply(StoredWebhook requested, string? mode, AgentMailStore store)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(store);
        return mode switch
        {
            OrgWide => requested with { InboxIds = [], PodIds = [] },
            OtherInbox => requested with { InboxIds = [OtherInboxThan(requested.InboxIds, store)], PodIds = [] },
            MissingEventType => requested with { EventTypes = [.. requested.EventTypes.Skip(1)] },
            _ => requested,
        };
    }

    private static string OtherInboxThan(IReadOnlyList<string> requested, AgentMailStore store) =>
        store.Inboxes.OldestFirst
            .Select(i => i.InboxId)
            .FirstOrDefault(id => !requested.Contains(id, StringComparer.OrdinalIgnoreCase))
        ?? $"{UsernameRules.Random()}@{DomainRules.Default}";
}
