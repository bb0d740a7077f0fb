using System.Diagnostics.CodeAnalysis;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// Every inbox's messages by <c>(inbox_id, message_id)</c>, and grouped by inbox: each message delivered summarizes its
/// thread, and a listing or an inbox's delete takes one inbox's messages, which as scans of every message the sandbox
/// holds grew with each benchmark run of the day. Not thread-safe: callers hold <see cref="AgentMailStore.Sync"/>.
/// </summary>
public sealed class MessageTable
{
    private readonly Dictionary<(string InboxId, string MessageId), StoredMessage> _byKey = [];
    private readonly Dictionary<string, Dictionary<(string InboxId, string MessageId), StoredMessage>> _byInbox = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every message's key.</summary>
    public IEnumerable<(string InboxId, string MessageId)> Keys => _byKey.Keys;

    /// <summary>The message stored under <paramref name="key"/>; setting stores it there, in place of the one before.</summary>
    public StoredMessage this[(string InboxId, string MessageId) key]
    {
        get => _byKey[key];
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _byKey[key] = value;
            if (!_byInbox.TryGetValue(key.InboxId, out var inbox))
            {
                _byInbox[key.InboxId] = inbox = [];
            }

            inbox[key] = value;
        }
    }

    /// <summary>The message stored under <paramref name="key"/>.</summary>
    public bool TryGetValue((string InboxId, string MessageId) key, [NotNullWhen(true)] out StoredMessage? message) =>
        _byKey.TryGetValue(key, out message);

    /// <summary>Whether a message is stored under <paramref name="key"/>.</summary>
    public bool ContainsKey((string InboxId, string MessageId) key) => _byKey.ContainsKey(key);

    /// <summary>The messages of <paramref name="inboxId"/> (whatever its case: it is an email address).</summary>
    public IEnumerable<StoredMessage> InInbox(string inboxId) =>
        _byInbox.TryGetValue(inboxId, out var inbox) ? inbox.Values : [];

    /// <summary>Deletes every message of <paramref name="inboxId"/> (whatever its case).</summary>
    public void RemoveInbox(string inboxId)
    {
        if (!_byInbox.Remove(inboxId, out var inbox))
        {
            return;
        }

        foreach (var key in inbox.Keys)
        {
            _byKey.Remove(key);
        }
    }

    /// <summary>Deletes every message.</summary>
    public void Clear()
    {
        _byKey.Clear();
        _byInbox.Clear();
    }
}
