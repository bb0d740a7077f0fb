using System.Text.Json.Serialization;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Timeline;

/// <summary>Everything orders-api knows about one order, as the timeline page shows it.</summary>
/// <param name="Order">The order as <c>GET /api/orders/{id}</c> answers it: items, total, reply address, provisioning, its newest emails, counts.</param>
/// <param name="Timeline">
/// What happened to it, oldest first: to the order's newest emails, its confirmation's email and that email's copies sent
/// again however old, its newest messages, and the agent's replies to those.
/// </param>
/// <param name="EmailsShown">
/// How many of the order's emails (its <c>email_count</c>) the timeline tells: its newest ones (the order's <c>emails</c>) and
/// the confirmation's when older. Fewer than <c>email_count</c> when older ones are left out; <c>GET /api/orders/{id}/emails</c>
/// pages through them all.
/// </param>
/// <param name="Conversation">
/// The order's newest messages in and out (at most <see cref="TimelineReader.MaxMessages"/> of the order's <c>message_count</c>),
/// oldest first, with the agent's replies to them; <c>GET /api/orders/{id}/messages?include_archived=true</c> pages through them all.
/// </param>
/// <param name="GeneratedAt">When this answer was read, so the page can say how fresh it is.</param>
public sealed record OrderTimelineView(
    OrderView Order,
    IReadOnlyList<TimelineEntry> Timeline,
    int EmailsShown,
    IReadOnlyList<ConversationEntry> Conversation,
    DateTimeOffset GeneratedAt);

/// <summary>One thing that happened to an order.</summary>
/// <param name="At">When; absent when orders-api did not record the moment (an inbox still being provisioned).</param>
/// <param name="Kind">What it is, one of <see cref="TimelineKinds"/>.</param>
/// <param name="Title">One line saying what happened, in plain words; an address or subject a sender wrote stands in it between Unicode isolates (U+2068 ... U+2069), so its direction never turns ours.</param>
/// <param name="Detail">What it was about (an address, a subject, a reason), as written, foreign text inside a sentence of ours isolated as in the title: the page shows it as text.</param>
/// <param name="Tone">How it went, one of <see cref="TimelineTones"/>: the page colours <c>problem</c> red.</param>
/// <param name="Labels">The labels of the message it is about.</param>
public sealed record TimelineEntry(
    DateTimeOffset? At,
    string Kind,
    string Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail,
    string Tone,
    IReadOnlyList<string> Labels);

/// <summary>One message of the order's conversation.</summary>
/// <param name="Id">The message's id (the one in <c>/api/orders/{id}/messages/{messageId}</c>).</param>
/// <param name="Direction"><c>inbound</c> (from the customer or anyone else) or <c>outbound</c> (ours).</param>
/// <param name="From">The sender as received.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Body">
/// The text, or its first <see cref="TimelineReader.MaxBodyLength"/> characters when it is longer; for a message older than
/// the newest ones whose text fills the answer's budget (<see cref="TimelineReader.MaxBodiesBytes"/>), its one-line preview.
/// </param>
/// <param name="BodyCut">Whether <paramref name="Body"/> is not the whole text, which is at <c>/api/orders/{id}/messages/{messageId}</c>.</param>
/// <param name="SenderVerified">Whether the sender is the order's own address.</param>
/// <param name="Labels">Its labels (<c>needs-review</c>, <c>needs-action</c>...).</param>
/// <param name="ReceivedAt">When it was received or sent.</param>
/// <param name="AgentReply">The agent's reply to it, once written.</param>
public sealed record ConversationEntry(
    Guid Id,
    string Direction,
    string From,
    string Subject,
    string Body,
    bool BodyCut,
    bool SenderVerified,
    IReadOnlyList<string> Labels,
    DateTimeOffset ReceivedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AgentReplyEntry? AgentReply);

/// <summary>The agent's reply to an inbound message, as the mail outbox and delivery-tracker's events tell it.</summary>
/// <param name="EmailId">The reply's outbound email.</param>
/// <param name="Intent">What the agent understood was asked (<c>where_is_my_order</c>, <c>cancel</c>...).</param>
/// <param name="Composer">What wrote the text (<c>rules</c> or the model).</param>
/// <param name="WrittenAt">When its file went to the outbox.</param>
/// <param name="DeliveryState">
/// Its furthest delivery state, once delivery-tracker reported one; when it failed and ops sent it again, its newest copy's.
/// </param>
public sealed record AgentReplyEntry(
    Guid EmailId,
    string Intent,
    string Composer,
    DateTimeOffset WrittenAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeliveryState);
