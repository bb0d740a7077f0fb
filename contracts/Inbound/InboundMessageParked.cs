namespace OrdersMail.Contracts.Inbound;

/// <summary>
/// A verified inbound email could not be matched to any order. It is parked for ops to look at, never dropped.
/// </summary>
/// <param name="InboxId">The AgentMail inbox that received the message.</param>
/// <param name="MessageId">The RFC 5322 Message-ID of the email.</param>
/// <param name="From">The sender's address as received.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Reason">Why no order was found, in words an operator can act on.</param>
/// <param name="ReceivedAt">When AgentMail received the email.</param>
public sealed record InboundMessageParked(
    string InboxId,
    string MessageId,
    string From,
    string Subject,
    string Reason,
    DateTimeOffset ReceivedAt);
