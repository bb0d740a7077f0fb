namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>A message in an inbox, received or sent (the <c>Message</c> object).</summary>
public sealed record StoredMessage
{
    /// <summary>The inbox it is in.</summary>
    public required string InboxId { get; init; }

    /// <summary>The thread (a UUID).</summary>
    public required string ThreadId { get; init; }

    /// <summary>The RFC 5322 Message-ID with its angle brackets.</summary>
    public required string MessageId { get; init; }

    /// <summary><c>received</c>+<c>unread</c> for inbound mail, <c>sent</c> for outbound.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>When it was sent.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>One address, <c>addr</c> or <c>Name &lt;addr&gt;</c>.</summary>
    public required string From { get; init; }

    /// <summary>Recipients.</summary>
    public required IReadOnlyList<string> To { get; init; }

    /// <summary>Copy recipients.</summary>
    public IReadOnlyList<string>? Cc { get; init; }

    /// <summary>Blind-copy recipients (sent mail only).</summary>
    public IReadOnlyList<string>? Bcc { get; init; }

    /// <summary>Reply-To addresses.</summary>
    public IReadOnlyList<string>? ReplyTo { get; init; }

    /// <summary>Subject line.</summary>
    public string? Subject { get; init; }

    /// <summary>The first characters of the text.</summary>
    public string? Preview { get; init; }

    /// <summary>Plain-text body.</summary>
    public string? Text { get; init; }

    /// <summary>HTML body.</summary>
    public string? Html { get; init; }

    /// <summary>The new text of a reply, without the quoted history.</summary>
    public string? ExtractedText { get; init; }

    /// <summary>The Message-ID this one answers.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The thread's Message-IDs, oldest first.</summary>
    public IReadOnlyList<string>? References { get; init; }

    /// <summary>Other headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Last change (labels).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Creation.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
