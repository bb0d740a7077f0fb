using System.Diagnostics.CodeAnalysis;

namespace OrdersMail.MailSandbox.AgentMail.Inboxes;

/// <summary>
/// The organisation's inboxes by <c>inbox_id</c> (case-insensitive: it is an email address), and by the
/// <c>client_id</c> they were created with, which every create looks up to replay an earlier one: as a scan of every
/// inbox under the store's one lock, that grew with each customer a benchmark provisioned. A deleted inbox frees its
/// <c>client_id</c>, and is kept by it for a <c>replay_deleted</c> fault (<see cref="Faults.FaultRule.ReplayDeleted"/>).
/// Not thread-safe: callers hold <see cref="AgentMailStore.Sync"/>.
/// </summary>
public sealed class InboxTable
{
    private readonly Dictionary<string, StoredInbox> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _byClientId = new(StringComparer.Ordinal);

    // The last inbox deleted under each client_id no live inbox holds, as it was stored: what a create under that
    // client_id answers under a replay_deleted fault.
    private readonly Dictionary<string, StoredInbox> _deletedByClientId = new(StringComparer.Ordinal);
    private List<StoredInbox>? _oldestFirst;

    /// <summary>
    /// Every inbox, oldest first (by creation, then id): sorted once after each change, not once for each page of a
    /// listing (the webhook watch pages through every inbox of the organisation). Never changed once handed out.
    /// </summary>
    public IReadOnlyList<StoredInbox> OldestFirst => _oldestFirst ??= [.. _byId.Values.OrderBy(i => i.CreatedAt).ThenBy(i => i.InboxId, StringComparer.Ordinal)];

    /// <summary>Stores <paramref name="inbox"/> under its id, in place of the one stored there before.</summary>
    public void Put(StoredInbox inbox)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        Remove(inbox.InboxId, out _);
        _byId[inbox.InboxId] = inbox;
        if (inbox.ClientId is { } clientId && _byClientId.TryAdd(clientId, inbox.InboxId))
        {
            _deletedByClientId.Remove(clientId);
        }

        _oldestFirst = null;
    }

    /// <summary>Whether an inbox has the id <paramref name="inboxId"/>.</summary>
    public bool ContainsKey(string inboxId) => _byId.ContainsKey(inboxId);

    /// <summary>The inbox with the id <paramref name="inboxId"/>.</summary>
    public bool TryGetValue(string inboxId, [NotNullWhen(true)] out StoredInbox? inbox) => _byId.TryGetValue(inboxId, out inbox);

    /// <summary>The inbox with the id <paramref name="inboxId"/>, or null.</summary>
    public StoredInbox? Find(string inboxId) => _byId.GetValueOrDefault(inboxId);

    /// <summary>The inbox created with <paramref name="clientId"/>, or null (a create with a <c>client_id</c> in use replays that inbox, so there is one at most).</summary>
    public StoredInbox? WithClientId(string clientId) =>
        _byClientId.TryGetValue(clientId, out var inboxId) ? _byId[inboxId] : null;

    /// <summary>The inbox last deleted while it held <paramref name="clientId"/>, as it was stored, or null (none was, or a live inbox holds it again).</summary>
    public StoredInbox? DeletedWithClientId(string clientId) => _deletedByClientId.GetValueOrDefault(clientId);

    /// <summary>Deletes the inbox with the id <paramref name="inboxId"/>; false when there was none.</summary>
    public bool Remove(string inboxId, [NotNullWhen(true)] out StoredInbox? removed)
    {
        if (!_byId.Remove(inboxId, out removed))
        {
            return false;
        }

        if (removed.ClientId is { } clientId && _byClientId.TryGetValue(clientId, out var owner) && string.Equals(owner, removed.InboxId, StringComparison.OrdinalIgnoreCase))
        {
            _byClientId.Remove(clientId);
            _deletedByClientId[clientId] = removed;
        }

        _oldestFirst = null;
        return true;
    }

    /// <summary>Deletes every inbox.</summary>
    public void Clear()
    {
        _byId.Clear();
        _byClientId.Clear();
        _deletedByClientId.Clear();
        _oldestFirst = null;
    }
}
