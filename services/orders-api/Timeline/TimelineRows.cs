namespace OrdersMail.OrdersApi.Timeline;

// Classes with setters, not records: Dapper matches a record's constructor by exact column types, and text[] reads as
// System.Array. Timestamps read as UTC DateTime (timestamptz), made DateTimeOffset by TimelineComposer.

/// <summary>An <c>order_messages</c> row as the timeline reads it.</summary>
internal sealed class TimelineMessageRow
{
    public Guid Id { get; set; }

    public string MessageId { get; set; } = "";

    public string Direction { get; set; } = "";

    public string FromAddress { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Body { get; set; } = "";

    public bool BodyCut { get; set; }

    public bool SenderVerified { get; set; }

    public string[] Labels { get; set; } = [];

    public DateTime ReceivedAt { get; set; }

    /// <summary>For our reply, its email; none on inbound messages (nor on replies recorded before replies had one).</summary>
    public Guid? EmailId { get; set; }

    /// <summary>Where our reply's email stands, as its newest copy once ops sent it again; null until the relay reported it.</summary>
    public string? DeliveryState { get; set; }
}

/// <summary>
/// The order's <c>order_confirmations</c> row: why its Reply-To is what it is, and when its file was written, or when
/// the sweeper gave it up after its attempts.
/// </summary>
internal sealed class TimelineConfirmationRow
{
    public string Reason { get; set; } = "";

    public string ReplyTo { get; set; } = "";

    public DateTime ClaimedAt { get; set; }

    public DateTime? WrittenAt { get; set; }

    public int Attempts { get; set; }

    public DateTime? GivenUpAt { get; set; }
}

/// <summary>
/// An <c>agent_replies</c> row: the claim on the reply to one inbound message, and once its file is in the outbox, who
/// composed it and when it was written. A claim stays unwritten while the agent composes (up to the model's timeout) or
/// after its writer failed or died, until a redelivery or the sweeper writes it, or the sweeper gives it up. Read with
/// its email's state, since the order carries only its newest emails.
/// </summary>
internal sealed class TimelineReplyRow
{
    public string MessageId { get; set; } = "";

    public Guid EmailId { get; set; }

    public string Intent { get; set; } = "";

    public string? Composer { get; set; }

    public DateTime ClaimedAt { get; set; }

    public DateTime? WrittenAt { get; set; }

    public int Attempts { get; set; }

    public DateTime? GivenUpAt { get; set; }

    /// <summary>
    /// Its email's furthest delivery state, once delivery-tracker reported one: its newest copy's when ops sent it again
    /// (<see cref="Emails.SentAgainChain"/>), since this row keeps naming the email that failed.
    /// </summary>
    public string? DeliveryState { get; set; }
}
