namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// How messages group into threads within an inbox, by the headers mail clients set: a message joins the thread
/// of the message it answers, and a thread's <c>ThreadItem</c> is derived from its messages. Callers hold
/// <see cref="AgentMailStore.Sync"/>.
/// </summary>
public static class Threading
{
    /// <summary>
    /// The thread for a new message in <paramref name="inboxId"/>: that of the message named by
    /// <paramref name="inReplyTo"/>, else of the latest of <paramref name="references"/> present in the inbox,
    /// else a new thread (a UUID, as real thread ids are).
    /// </summary>
    public static string ThreadFor(AgentMailStore store, string inboxId, string? inReplyTo, IReadOnlyList<string>? references)
    {
        ArgumentNullException.ThrowIfNull(store);
        var answered = (inReplyTo is null ? [] : new[] { inReplyTo }).Concat((references ?? []).Reverse());
        foreach (var messageId in answered)
        {
            if (store.Messages.TryGetValue((inboxId, messageId), out var earlier))
            {
                return earlier.ThreadId;
            }
        }

        return Guid.NewGuid().ToString();
    }

    /// <summary>
    /// The thread's summary: labels, senders and recipients gathered over its messages (first seen first), the
    /// subject of its first message, and timestamps, preview and <c>last_message_id</c> of its latest ones.
    /// </summary>
    public static ThreadItem Summarize(AgentMailStore store, string inboxId, string threadId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var messages = store.Messages.InInbox(inboxId)
            .Where(m => m.InboxId == inboxId && m.ThreadId == threadId)
            .OrderBy(m => m.Timestamp)
            .ThenBy(m => m.MessageId, StringComparer.Ordinal)
            .ToList();
        if (messages.Count == 0)
        {
            throw new InvalidOperationException($"Thread {threadId} has no messages in {inboxId}.");
        }

        var last = messages[^1];
        return new ThreadItem(
            inboxId,
            threadId,
            [.. messages.SelectMany(m => m.Labels).Distinct(StringComparer.Ordinal)],
            last.Timestamp,
            messages.LastOrDefault(m => m.Labels.Contains("received"))?.Timestamp,
            messages.LastOrDefault(m => m.Labels.Contains("sent"))?.Timestamp,
            [.. messages.Select(m => m.From).Distinct(StringComparer.OrdinalIgnoreCase)],
            [.. messages.SelectMany(m => m.To.Concat(m.Cc ?? [])).Distinct(StringComparer.OrdinalIgnoreCase)],
            messages[0].Subject,
            last.Preview,
            last.MessageId,
            messages.Count,
            messages.Sum(m => m.Size),
            messages.Max(m => m.UpdatedAt),
            messages[0].CreatedAt);
    }
}
