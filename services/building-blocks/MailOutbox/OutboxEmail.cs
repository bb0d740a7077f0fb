using System.Text.Json.Serialization;

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>
/// One outbound email as a file in the mail outbox: the seed's fields (<c>to</c>, <c>subject</c>, <c>body</c>,
/// <c>in_reply_to</c>, <c>references</c>, <c>cc</c>, <c>bcc</c>, <c>status</c>) and OrdersMail's own, which any
/// writer may leave out.
/// </summary>
public sealed record OutboxEmail
{
    /// <summary>The recipients; always an array.</summary>
    [JsonPropertyName("to")]
    public required IReadOnlyList<string> To { get; init; }

    /// <summary>The subject line.</summary>
    [JsonPropertyName("subject")]
    public required string Subject { get; init; }

    /// <summary>The plain-text body.</summary>
    [JsonPropertyName("body")]
    public required string Body { get; init; }

    /// <summary>The Message-ID this email answers, if any.</summary>
    [JsonPropertyName("in_reply_to")]
    public string? InReplyTo { get; init; }

    /// <summary>The thread's Message-IDs, space separated, oldest first.</summary>
    [JsonPropertyName("references")]
    public string? References { get; init; }

    /// <summary>Copy recipients.</summary>
    [JsonPropertyName("cc")]
    public IReadOnlyList<string> Cc { get; init; } = [];

    /// <summary>Blind-copy recipients.</summary>
    [JsonPropertyName("bcc")]
    public IReadOnlyList<string> Bcc { get; init; } = [];

    /// <summary>Always <see cref="PendingStatus"/> when written.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = PendingStatus;

    /// <summary>Where replies should go (the customer's inbox, for an order's mail).</summary>
    [JsonPropertyName("reply_to")]
    public string? ReplyTo { get; init; }

    /// <summary>
    /// The email's id. A writer derives it from what causes the email (the order, the inbound message), so a
    /// writer that runs twice writes the same id and the relay sends it once.
    /// </summary>
    [JsonPropertyName("email_id")]
    public Guid? EmailId { get; init; }

    /// <summary>The order the email is about.</summary>
    [JsonPropertyName("order_id")]
    public Guid? OrderId { get; init; }

    /// <summary>The order's reference, so the spans of its sending carry it (<c>ordersmail.order_ref</c>).</summary>
    [JsonPropertyName("order_ref")]
    public string? OrderRef { get; init; }

    /// <summary>What the email is (<see cref="OutboxEmailKinds"/>).</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    /// <summary>For an agent reply: the customer's inbox it is sent from.</summary>
    [JsonPropertyName("inbox_id")]
    public string? InboxId { get; init; }

    /// <summary>For an agent reply: AgentMail's id of the message it answers, so it lands in that thread.</summary>
    [JsonPropertyName("reply_to_message_id")]
    public string? ReplyToMessageId { get; init; }

    /// <summary>The failed email this one is a copy of, sent again by ops (delivery-tracker's send-again).</summary>
    [JsonPropertyName("sent_again_of")]
    public Guid? SentAgainOf { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the work that wrote the file, so its sending joins that trace.</summary>
    [JsonPropertyName("traceparent")]
    public string? TraceParent { get; init; }

    /// <summary>The only status a writer may give.</summary>
    public const string PendingStatus = "pending";
}
