using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Steps;

/// <summary>
/// What AgentMail stores for a webhook, compared with what was asked for: the one inbox alone in scope (no pod),
/// exactly the flow's event types, our url, enabled. Each finding is a sentence ops can act on.
/// </summary>
/// <param name="Findings">What differs; empty when the webhook is right.</param>
/// <param name="OrgWide">Stored with no inbox or pod: it receives every tenant's mail, and must go at once.</param>
/// <param name="NeedsRecreate">Only deleting and creating it again fixes it (scope, url, enabled, or gone).</param>
public sealed record WebhookInspection(IReadOnlyList<string> Findings, bool OrgWide, bool NeedsRecreate)
{
    /// <summary>AgentMail stores what was asked for.</summary>
    public bool Matches => Findings.Count == 0;

    /// <summary>Compares <paramref name="stored"/> (null: AgentMail has no such webhook) with the expected webhook.</summary>
    public static WebhookInspection Of(AgentMailWebhook? stored, string inboxId, string url, IReadOnlyList<string> eventTypes)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        if (stored is null)
        {
            return new WebhookInspection(["the webhook no longer exists at AgentMail"], OrgWide: false, NeedsRecreate: true);
        }

        var findings = new List<string>();
        var orgWide = stored.InboxIds.Count == 0 && stored.PodIds.Count == 0;
        var misScoped = !orgWide && (stored.PodIds.Count > 0 || stored.InboxIds.Count != 1 || !string.Equals(stored.InboxIds[0], inboxId, StringComparison.OrdinalIgnoreCase));
        if (orgWide)
        {
            findings.Add($"webhook {stored.WebhookId} is stored with no inbox or pod scope: org-wide, it would receive every tenant's mail");
        }
        else if (misScoped)
        {
            findings.Add($"webhook {stored.WebhookId} is scoped to inboxes [{string.Join(", ", stored.InboxIds)}] and pods [{string.Join(", ", stored.PodIds)}], not to {inboxId} alone");
        }

        var wrongUrl = !string.Equals(stored.Url, url, StringComparison.Ordinal);
        if (wrongUrl)
        {
            findings.Add($"webhook {stored.WebhookId} posts to {stored.Url}, not {url}");
        }

        if (!stored.Enabled)
        {
            findings.Add($"webhook {stored.WebhookId} is disabled");
        }

        var missing = eventTypes.Except(stored.EventTypes, StringComparer.Ordinal).ToList();
        var extra = stored.EventTypes.Except(eventTypes, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            findings.Add($"webhook {stored.WebhookId} lacks event types {string.Join(", ", missing)}");
        }

        if (extra.Count > 0)
        {
            findings.Add($"webhook {stored.WebhookId} has unasked-for event types {string.Join(", ", extra)}");
        }

        return new WebhookInspection(findings, orgWide, orgWide || misScoped || wrongUrl || !stored.Enabled);
    }
}
