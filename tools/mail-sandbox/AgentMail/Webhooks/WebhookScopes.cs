using OrdersMail.MailSandbox.AgentMail.Inboxes;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail.Webhooks;

/// <summary>
/// A webhook's scope: the inboxes and pods whose events it receives (none of either: every inbox's, org-wide).
/// Ids in a request must name existing inboxes and pods; an unknown one is a 400 <c>ValidationError</c> (the create
/// and update endpoints declare 400, and a webhook for an inbox that does not exist can only be a client's mistake).
/// Callers hold <see cref="AgentMailStore.Sync"/>.
/// </summary>
public static class WebhookScopes
{
    private const string MustKeepScope = "A scoped webhook must always keep at least one pod or inbox subscription";

    /// <summary>The stored ids of the inboxes <paramref name="requested"/> names, or a 400 for the first unknown one.</summary>
    public static (IReadOnlyList<string> InboxIds, IResult? Error) ExistingInboxes(AgentMailStore store, IReadOnlyList<string> requested, string member)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(requested);
        var ids = new List<string>(requested.Count);
        for (var i = 0; i < requested.Count; i++)
        {
            if (!store.Inboxes.TryGetValue(requested[i], out var inbox))
            {
                return ([], AgentMailError.Validation($"Inbox not found: {requested[i]}", new ValidationIssue([member, i], "Inbox not found", "not_found")));
            }

            ids.Add(inbox.InboxId);
        }

        return (ids, null);
    }

    /// <summary>The pod ids <paramref name="requested"/> names (only <see cref="SandboxPod.Id"/> exists), or a 400.</summary>
    public static (IReadOnlyList<string> PodIds, IResult? Error) ExistingPods(IReadOnlyList<string> requested, string member)
    {
        ArgumentNullException.ThrowIfNull(requested);
        for (var i = 0; i < requested.Count; i++)
        {
            if (!string.Equals(requested[i], SandboxPod.Id, StringComparison.OrdinalIgnoreCase))
            {
                return ([], AgentMailError.Validation($"Pod not found: {requested[i]}", new ValidationIssue([member, i], "Pod not found", "not_found")));
            }
        }

        return (requested.Count > 0 ? [SandboxPod.Id] : [], null);
    }

    /// <summary>
    /// <paramref name="webhook"/> with <paramref name="update"/> applied: additions, then removals (so an id in both
    /// ends up out), then the event types when given. A scoped webhook left with no scope, or a scope past ten ids, is a 400.
    /// </summary>
    public static (StoredWebhook? Updated, IResult? Error) Apply(AgentMailStore store, StoredWebhook webhook, UpdateWebhookRequest update)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(update);
        var (addedInboxes, unknownInbox) = ExistingInboxes(store, update.AddInboxIds, "add_inbox_ids");
        var (addedPods, unknownPod) = ExistingPods(update.AddPodIds, "add_pod_ids");
        if ((unknownInbox ?? unknownPod) is { } unknown)
        {
            return (null, unknown);
        }

        List<string> inboxIds = [.. webhook.InboxIds.Concat(addedInboxes).Distinct(StringComparer.OrdinalIgnoreCase).Except(update.RemoveInboxIds, StringComparer.OrdinalIgnoreCase)];
        List<string> podIds = [.. webhook.PodIds.Concat(addedPods).Distinct(StringComparer.OrdinalIgnoreCase).Except(update.RemovePodIds, StringComparer.OrdinalIgnoreCase)];
        if (inboxIds.Count > WebhookFields.MaxScopeIds || podIds.Count > WebhookFields.MaxScopeIds)
        {
            var member = inboxIds.Count > WebhookFields.MaxScopeIds ? "add_inbox_ids" : "add_pod_ids";
            return (null, AgentMailError.Validation(
                $"A webhook can be scoped to at most {WebhookFields.MaxScopeIds} inboxes and {WebhookFields.MaxScopeIds} pods.",
                new ValidationIssue([member], $"Too many ids: at most {WebhookFields.MaxScopeIds}", "too_big")));
        }

        var wasScoped = webhook.InboxIds.Count > 0 || webhook.PodIds.Count > 0;
        if (wasScoped && inboxIds.Count == 0 && podIds.Count == 0)
        {
            return (null, AgentMailError.Validation(MustKeepScope, new ValidationIssue(["remove_inbox_ids"], MustKeepScope)));
        }

        var eventTypes = update.EventTypes ?? webhook.EventTypes;
        var changed = !inboxIds.SequenceEqual(webhook.InboxIds) || !podIds.SequenceEqual(webhook.PodIds) || !eventTypes.SequenceEqual(webhook.EventTypes);
        return (changed ? webhook with { InboxIds = inboxIds, PodIds = podIds, EventTypes = eventTypes, UpdatedAt = DateTimeOffset.UtcNow } : webhook, null);
    }

    /// <summary>
    /// Takes a deleted inbox out of every webhook's scope. A webhook it leaves with no scope is deleted: kept, it would
    /// turn org-wide and start receiving every other inbox's events, which nobody subscribed it to.
    /// </summary>
    public static void ForgetInbox(AgentMailStore store, string inboxId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var now = DateTimeOffset.UtcNow;
        foreach (var webhook in store.Webhooks.ScopedTo(inboxId))
        {
            List<string> rest = [.. webhook.InboxIds.Where(id => !string.Equals(id, inboxId, StringComparison.OrdinalIgnoreCase))];
            if (rest.Count == 0 && webhook.PodIds.Count == 0)
            {
                store.Webhooks.Remove(webhook.WebhookId);
            }
            else
            {
                store.Webhooks.Put(webhook with { InboxIds = rest, UpdatedAt = now });
            }
        }
    }
}
