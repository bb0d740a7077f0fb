using System.Text.Json.Serialization;
using OrdersMail.OrdersApi.Paging;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>One message of an order's conversation, as the API answers it.</summary>
/// <param name="Id">Our id of the message, the one in its URL.</param>
/// <param name="MessageId">Its RFC 5322 Message-ID (<c>&lt;...&gt;</c>).</param>
/// <param name="ThreadId">AgentMail's thread id.</param>
/// <param name="Direction"><c>inbound</c> (from the customer) or <c>outbound</c> (our reply).</param>
/// <param name="From">The sender as received.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Preview">The start of the text on one line (<see cref="MessagePreview"/>).</param>
/// <param name="SenderVerified">Whether the sender is the order's own address.</param>
/// <param name="Labels">The user's labels on it.</param>
/// <param name="IsRead">Whether the user has read it.</param>
/// <param name="Archived">Whether the user archived it (hidden from listings unless asked for).</param>
/// <param name="ReceivedAt">When it was received; the conversation's order.</param>
/// <param name="Body">The whole text; only when one message is asked for, never in a listing.</param>
/// <param name="EmailId">For our reply (<c>outbound</c>), the id of its email in the mail outbox and in the order's emails; absent otherwise.</param>
internal sealed record MessageView(
    Guid Id,
    string MessageId,
    string? ThreadId,
    string Direction,
    string From,
    string Subject,
    string Preview,
    bool SenderVerified,
    IReadOnlyList<string> Labels,
    bool IsRead,
    bool Archived,
    DateTimeOffset ReceivedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Body,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? EmailId);

/// <summary>A page of a conversation.</summary>
/// <param name="Messages">The page's messages, oldest first.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; absent on the last page.</param>
internal sealed record MessagePage(
    IReadOnlyList<MessageView> Messages,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextCursor);

/// <summary>How many messages of an order are unread, archived ones left out.</summary>
/// <param name="UnreadCount">The count.</param>
internal sealed record UnreadCountView(int UnreadCount);

/// <summary>An <c>order_messages</c> row as Dapper reads it (column aliases match the property names).</summary>
internal sealed class MessageRow
{
    public Guid Id { get; set; }

    public string MessageId { get; set; } = "";

    public string? ThreadId { get; set; }

    public string Direction { get; set; } = "";

    public string FromAddress { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Preview { get; set; } = "";

    public bool SenderVerified { get; set; }

    public string[] Labels { get; set; } = [];

    public bool IsRead { get; set; }

    public bool Archived { get; set; }

    public DateTime ReceivedAt { get; set; }

    public string? Body { get; set; }

    public Guid? EmailId { get; set; }

    /// <summary>The row's position in the conversation, for the next page's cursor.</summary>
    public PagePosition Position => new(ReceivedAt, Id);

    public MessageView ToView() => new(
        Id,
        MessageId,
        ThreadId,
        Direction,
        FromAddress,
        Subject,
        Preview,
        SenderVerified,
        Labels,
        IsRead,
        Archived,
        new DateTimeOffset(DateTime.SpecifyKind(ReceivedAt, DateTimeKind.Utc)),
        Body,
        EmailId);
}
