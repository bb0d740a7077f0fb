namespace OrdersMail.Contracts.Inbound;

/// <summary>
/// A customer's email arrived through a verified AgentMail webhook and was matched to an order.
/// Published once per message: replayed or duplicate webhook deliveries are absorbed before this.
/// </summary>
/// <param name="OrderId">The order the message belongs to.</param>
/// <param name="InboxId">The AgentMail inbox that received the message.</param>
/// <param name="MessageId">The RFC 5322 Message-ID of the email (in <c>&lt;...&gt;</c> form); unique per message, the consumers' idempotency key.</param>
/// <param name="ThreadId">AgentMail's thread id, so replies stay in the same thread.</param>
/// <param name="From">The sender's address as received; whether it is the order's address is decided by orders-api.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Text">The plain-text body (or text extracted from the HTML body), quoted history and all: what the customer sent.</param>
/// <param name="InReplyTo">The Message-ID this email answers, if any.</param>
/// <param name="References">The Message-IDs of the thread, oldest first.</param>
/// <param name="RoutedBy">How the order was found: <c>in-reply-to</c> (a reply to one of our outbound emails) <c>inbox-order-ref</c> (the inbox's newest order), <c>order-at-receipt</c> (the customer's newest order when the email was received, the inbox naming one placed after it), or <c>ops</c> (a parked email a person routed to the order they named, one of the inbox's customer's).</param>
/// <param name="ReceivedAt">When AgentMail received the email.</param>
/// <param name="AutoSubmitted">The <c>Auto-Submitted</c> header (RFC 3834), if present: anything but <c>no</c> marks automatic mail.</param>
/// <param name="Precedence">The <c>Precedence</c> header, if present (<c>bulk</c>, <c>list</c>, <c>junk</c>, <c>auto_reply</c> mark automatic mail).</param>
/// <param name="XAutoreply">The <c>X-Autoreply</c> header, if present (set by many vacation responders).</param>
/// <param name="OrderRef">The order's reference, when the router knows it: what the spans of the answer are tagged with.</param>
/// <param name="NewText">
/// The customer's new words: AgentMail's <c>extracted_text</c> (a reply without the history it quotes), or its
/// <c>extracted_html</c> without tags; null when AgentMail found none, when they are the whole of <paramref name="Text"/>,
/// and from a router before this member. What the agent reads, <paramref name="Text"/> when null.
/// </param>
/// <param name="ListId">The <c>List-Id</c> header (RFC 2919), if present: mail from a mailing list. Null from a router before this member.</param>
/// <param name="ListUnsubscribe">The <c>List-Unsubscribe</c> header (RFC 2369), if present: a newsletter or list mail. Null from a router before this member.</param>
/// <param name="XAutorespond">The <c>X-Autorespond</c> header, if present (set by some auto-responders). Null from a router before this member.</param>
public sealed record InboundMessageRouted(
    Guid OrderId,
    string InboxId,
    string MessageId,
    string ThreadId,
    string From,
    string Subject,
    string Text,
    string? InReplyTo,
    IReadOnlyList<string> References,
    string RoutedBy,
    DateTimeOffset ReceivedAt,
    string? AutoSubmitted = null,
    string? Precedence = null,
    string? XAutoreply = null,
    string? OrderRef = null,
    string? NewText = null,
    string? ListId = null,
    string? ListUnsubscribe = null,
    string? XAutorespond = null);
