namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>What send and reply answer: the new message's ids.</summary>
/// <param name="MessageId">The sent message's Message-ID, with its angle brackets.</param>
/// <param name="ThreadId">The thread it is in.</param>
public sealed record SendMessageResponse(string MessageId, string ThreadId);

/// <summary>What <c>PATCH …/messages/{message_id}</c> answers.</summary>
/// <param name="MessageId">The message changed.</param>
/// <param name="Labels">Its labels now.</param>
public sealed record UpdateMessageResponse(string MessageId, IReadOnlyList<string> Labels);

/// <summary><c>ListMessagesResponse</c>: one page of <see cref="MessageItem"/> rows.</summary>
/// <param name="Count">Rows on this page.</param>
/// <param name="Limit">The page size asked for, echoed when given.</param>
/// <param name="NextPageToken">Present only when more rows follow.</param>
/// <param name="Messages">The rows.</param>
public sealed record ListMessagesResponse(int Count, int? Limit, string? NextPageToken, IReadOnlyList<MessageItem> Messages);

/// <summary>
/// A list row: the <c>Message</c> without <c>reply_to</c>, <c>text</c>, <c>html</c>, <c>extracted_text</c> and
/// <c>extracted_html</c>, so clients fetch each message for its body as they must against the real API.
/// </summary>
public sealed record MessageItem(
    string InboxId,
    string ThreadId,
    string MessageId,
    IReadOnlyList<string> Labels,
    DateTimeOffset Timestamp,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string>? Cc,
    IReadOnlyList<string>? Bcc,
    string? Subject,
    string? Preview,
    string? InReplyTo,
    IReadOnlyList<string>? References,
    IReadOnlyDictionary<string, string>? Headers,
    long Size,
    DateTimeOffset UpdatedAt,
    DateTimeOffset CreatedAt)
{
    /// <summary>The row for a stored message.</summary>
    public static MessageItem Of(StoredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new MessageItem(
            message.InboxId, message.ThreadId, message.MessageId, message.Labels, message.Timestamp, message.From, message.To,
            message.Cc, message.Bcc, message.Subject, message.Preview, message.InReplyTo, message.References, message.Headers,
            message.Size, message.UpdatedAt, message.CreatedAt);
    }
}

/// <summary>
/// <c>ThreadItem</c>, the summary of a thread sent beside the message in <c>message.received</c>
/// (see <see cref="Threading.Summarize"/> for how each field is derived).
/// </summary>
public sealed record ThreadItem(
    string InboxId,
    string ThreadId,
    IReadOnlyList<string> Labels,
    DateTimeOffset Timestamp,
    DateTimeOffset? ReceivedTimestamp,
    DateTimeOffset? SentTimestamp,
    IReadOnlyList<string> Senders,
    IReadOnlyList<string> Recipients,
    string? Subject,
    string? Preview,
    string LastMessageId,
    int MessageCount,
    long Size,
    DateTimeOffset UpdatedAt,
    DateTimeOffset CreatedAt);
