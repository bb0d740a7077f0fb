using OrdersMail.MailSandbox.AgentMail.Messages;

namespace OrdersMail.MailSandbox.Tests.Support;

/// <summary>Messages put straight into the sandbox's store, for specs of what the store does with them.</summary>
public static class StoredMessages
{
    /// <summary>A message from Jane to <paramref name="inboxId"/>, in a thread of its own, with <paramref name="labels"/>.</summary>
    public static StoredMessage Received(string inboxId, string messageId, params string[] labels) => new()
    {
        InboxId = inboxId,
        ThreadId = Guid.NewGuid().ToString(),
        MessageId = messageId,
        Labels = labels.Length > 0 ? labels : ["received", "unread"],
        Timestamp = DateTimeOffset.UtcNow,
        From = "jane@acme.example",
        To = [inboxId],
        Size = 100,
        UpdatedAt = DateTimeOffset.UtcNow,
        CreatedAt = DateTimeOffset.UtcNow,
    };
}
