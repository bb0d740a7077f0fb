using System.Text.Json.Serialization;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// The control API's "a customer sends this email to the inbox" body
/// (<c>POST /sandbox/agentmail/inboxes/{inbox_id}/messages</c>). Headers named <c>Message-ID</c>,
/// <c>In-Reply-To</c> and <c>References</c> stand in for the fields when those are absent, as in real mail.
/// </summary>
public sealed record InboundEmailRequest
{
    /// <summary>The sender, <c>addr</c> or <c>Name &lt;addr&gt;</c> (required).</summary>
    public string? From { get; init; }

    /// <summary>Recipients; the inbox's own address when absent.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? To { get; init; }

    /// <summary>Copy recipients.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? Cc { get; init; }

    /// <summary>Where replies should go instead of <see cref="From"/>.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? ReplyTo { get; init; }

    /// <summary>Subject line.</summary>
    public string? Subject { get; init; }

    /// <summary>Plain-text body.</summary>
    public string? Text { get; init; }

    /// <summary>HTML body.</summary>
    public string? Html { get; init; }

    /// <summary>The Message-ID this email answers.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The Message-IDs of the conversation so far, oldest first.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? References { get; init; }

    /// <summary>Other headers, kept on the message.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>
    /// False for mail whose sender AgentMail could not authenticate (SPF, DKIM, DMARC): it is labelled
    /// <c>unauthenticated</c>, raised as <c>message.received.unauthenticated</c> instead of <c>message.received</c>, and
    /// left out of message lists unless they ask for it (<c>include_unauthenticated</c>). True when absent.
    /// </summary>
    public bool? Authenticated { get; init; }

    /// <summary>
    /// True for mail AgentMail's filter marks as spam: it is labelled <c>spam</c>, raised as <c>message.received.spam</c>
    /// instead of <c>message.received</c>, and left out of message lists unless they ask for it (<c>include_spam</c>).
    /// False when absent. AgentMail raises one event per message, so it cannot be both this and unauthenticated.
    /// </summary>
    public bool? Spam { get; init; }
}

/// <summary><c>SendMessageRequest</c>: a new email from the inbox, in a new thread.</summary>
public sealed record SendMessageRequest
{
    /// <summary>Labels added beside <c>sent</c>.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Reply-To addresses.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? ReplyTo { get; init; }

    /// <summary>Recipients.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? To { get; init; }

    /// <summary>Copy recipients.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? Cc { get; init; }

    /// <summary>Blind-copy recipients.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? Bcc { get; init; }

    /// <summary>Subject line.</summary>
    public string? Subject { get; init; }

    /// <summary>Plain-text body.</summary>
    public string? Text { get; init; }

    /// <summary>HTML body.</summary>
    public string? Html { get; init; }

    /// <summary>Extra headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

/// <summary>
/// <c>ReplyToMessageRequest</c>. It has no subject: subject, default recipients, <c>In-Reply-To</c> and
/// <c>References</c> all come from the message replied to.
/// </summary>
public sealed record ReplyToMessageRequest
{
    /// <summary>Labels added beside <c>sent</c>.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Reply-To addresses.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? ReplyTo { get; init; }

    /// <summary>Recipients instead of the original's sender.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? To { get; init; }

    /// <summary>Copy recipients.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? Cc { get; init; }

    /// <summary>Blind-copy recipients.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? Bcc { get; init; }

    /// <summary>Also copy the original's other recipients.</summary>
    public bool? ReplyAll { get; init; }

    /// <summary>Plain-text body.</summary>
    public string? Text { get; init; }

    /// <summary>HTML body.</summary>
    public string? Html { get; init; }

    /// <summary>Extra headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

/// <summary>The body of <c>PATCH …/messages/{message_id}</c>; each field a string or a string[].</summary>
public sealed record UpdateMessageRequest
{
    /// <summary>Labels to add.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? AddLabels { get; init; }

    /// <summary>Labels to remove.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? RemoveLabels { get; init; }
}

/// <summary>The control API's body for <c>POST /sandbox/agentmail/bouncing</c>, <c>/complaining</c> and <c>/rejecting</c>.</summary>
public sealed record MarkedAddressesRequest
{
    /// <summary>Addresses whose mail meets that fate from now on.</summary>
    [JsonConverter(typeof(OneOrManyStrings))]
    public IReadOnlyList<string>? Addresses { get; init; }
}
