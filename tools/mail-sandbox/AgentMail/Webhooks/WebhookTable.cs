using System.Diagnostics.CodeAnalysis;

namespace OrdersMail.MailSandbox.AgentMail.Webhooks;

/// <summary>
/// The organisation's webhooks by <c>webhook_id</c>, indexed by what the sandbox looks them up by on every event: the
/// inboxes and pods they are scoped to, the org-wide ones, and their <c>client_id</c>. Every event raised asks which
/// webhooks receive it, and every create whether its <c>client_id</c> was used: as scans of every webhook, under the
/// store's one lock, those took 85 % of the sandbox's CPU through an inbound storm once a day of benchmarks had left
/// 13,000 webhooks, and held up every other call to the sandbox meanwhile. Not thread-safe: callers hold
/// <see cref="AgentMailStore.Sync"/>.
/// </summary>
public sealed class WebhookTable
{
    private static readonly HashSet<string> NoIds = [];

    private readonly Dictionary<string, StoredWebhook> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byInbox = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<string>> _byPod = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _orgWide = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byClientId = new(StringComparer.Ordinal);
    private List<StoredWebhook>? _oldestFirst;

    /// <summary>
    /// Every webhook, oldest first (by creation, then id): sorted once after each change, not once for each page of a
    /// listing (the webhook watch pages through every webhook of the organisation). Never changed once handed out.
    /// </summary>
    public IReadOnlyList<StoredWebhook> OldestFirst => _oldestFirst ??= [.. _byId.Values.OrderBy(w => w.CreatedAt).ThenBy(w => w.WebhookId, StringComparer.Ordinal)];

    /// <summary>Stores <paramref name="webhook"/> under its id, in place of the one stored there before.</summary>
    public void Put(StoredWebhook webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        Remove(webhook.WebhookId);
        _byId[webhook.WebhookId] = webhook;
        Index(webhook);
        _oldestFirst = null;
    }

    /// <summary>The webhook stored under <paramref name="webhookId"/>.</summary>
    public bool TryGetValue(string webhookId, [NotNullWhen(true)] out StoredWebhook? webhook) => _byId.TryGetValue(webhookId, out webhook);

    /// <summary>Deletes the webhook stored under <paramref name="webhookId"/>; false when there was none.</summary>
    public bool Remove(string webhookId)
    {
        if (!_byId.Remove(webhookId, out var removed))
        {
            return false;
        }

        Unindex(removed);
        _oldestFirst = null;
        return true;
    }

    /// <summary>Deletes every webhook.</summary>
    public void Clear()
    {
        _byId.Clear();
        _byInbox.Clear();
        _byPod.Clear();
        _orgWide.Clear();
        _byClientId.Clear();
        _oldestFirst = null;
    }

    /// <summary>The webhook created with <paramref name="clientId"/>, or null (a create with a <c>client_id</c> in use replays that webhook, so there is one at most).</summary>
    public StoredWebhook? WithClientId(string clientId) =>
        _byClientId.TryGetValue(clientId, out var webhookId) ? _byId[webhookId] : null;

    /// <summary>The webhooks scoped to <paramref name="inboxId"/> (by inbox, not by pod), oldest first.</summary>
    public IReadOnlyList<StoredWebhook> ScopedTo(string inboxId) => Oldest(IdsIn(_byInbox, inboxId));

    /// <summary>
    /// The enabled webhooks that receive <paramref name="eventType"/> for <paramref name="inboxId"/>, oldest first: those
    /// scoped to that inbox or to its pod <paramref name="podId"/>, and the org-wide ones (no inbox and no pod scope).
    /// </summary>
    public IReadOnlyList<StoredWebhook> Receiving(string inboxId, string? podId, string eventType)
    {
        var ids = new HashSet<string>(_orgWide, StringComparer.Ordinal);
        ids.UnionWith(IdsIn(_byInbox, inboxId));
        if (podId is not null)
        {
            ids.UnionWith(IdsIn(_byPod, podId));
        }

        return Oldest(ids.Where(id => _byId[id] is { Enabled: true } webhook && webhook.EventTypes.Contains(eventType)));
    }

    private static HashSet<string> IdsIn(Dictionary<string, HashSet<string>> index, string key) =>
        index.TryGetValue(key, out var ids) ? ids : NoIds;

    private List<StoredWebhook> Oldest(IEnumerable<string> ids) =>
        [.. ids.Select(id => _byId[id]).OrderBy(w => w.CreatedAt).ThenBy(w => w.WebhookId, StringComparer.Ordinal)];

    private void Index(StoredWebhook webhook)
    {
        if (webhook.InboxIds.Count == 0 && webhook.PodIds.Count == 0)
        {
            _orgWide.Add(webhook.WebhookId);
        }

        foreach (var inboxId in webhook.InboxIds)
        {
            Add(_byInbox, inboxId, webhook.WebhookId);
        }

        foreach (var podId in webhook.PodIds)
        {
            Add(_byPod, podId, webhook.WebhookId);
        }

        if (webhook.ClientId is { } clientId)
        {
            _byClientId.TryAdd(clientId, webhook.WebhookId);
        }
    }

    private void Unindex(StoredWebhook webhook)
    {
        _orgWide.Remove(webhook.WebhookId);
        foreach (var inboxId in webhook.InboxIds)
        {
            Drop(_byInbox, inboxId, webhook.WebhookId);
        }

        foreach (var podId in webhook.PodIds)
        {
            Drop(_byPod, podId, webhook.WebhookId);
        }

        if (webhook.ClientId is { } clientId && _byClientId.TryGetValue(clientId, out var owner) && owner == webhook.WebhookId)
        {
            _byClientId.Remove(clientId);
        }
    }

    private static void Add(Dictionary<string, HashSet<string>> index, string key, string webhookId)
    {
        if (!index.TryGetValue(key, out var ids))
        {
            index[key] = ids = new HashSet<string>(StringComparer.Ordinal);
        }

        ids.Add(webhookId);
    }

    private static void Drop(Dictionary<string, HashSet<string>> index, string key, string webhookId)
    {
        if (index.TryGetValue(key, out var ids) && ids.Remove(webhookId) && ids.Count == 0)
        {
            index.Remove(key);
        }
    }
}
