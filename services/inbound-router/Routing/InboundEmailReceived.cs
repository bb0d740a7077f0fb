namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// A verified <c>message.received</c>, handed by the ingress to the router's own routing consumer through the outbox
/// (the router's internal message: nobody else consumes it). <see cref="Text"/> and <see cref="Html"/> are both null when
/// AgentMail left the body out (over 1 MB): the consumer then reads the message from AgentMail.
/// </summary>
/// <param name="EventId">AgentMail's event id.</param>
/// <param name="InboxId">The inbox that received it.</param>
/// <param name="MessageId">The RFC Message-ID, in <c>&lt;...&gt;</c> form.</param>
/// <param name="ThreadId">AgentMail's thread id.</param>
/// <param name="From">The sender as received.</param>
/// <param name="Subject">The subject line, empty when there was none.</param>
/// <param name="Text">The plain-text body (or the extracted text), if sent.</param>
/// <param name="Html">The HTML body, if sent.</param>
/// <param name="InReplyTo">The Message-ID it answers, if any.</param>
/// <param name="References">The thread's Message-IDs, oldest first.</param>
/// <param name="ReceivedAt">When AgentMail received it.</param>
/// <param name="AutoSubmitted">The <c>Auto-Submitted</c> header, if present.</param>
/// <param name="Precedence">The <c>Precedence</c> header, if present.</param>
/// <param name="XAutoreply">The <c>X-Autoreply</c> header, if present.</param>
public sealed record InboundEmailReceived(
    string EventId,
    string InboxId,
    string MessageId,
    string ThreadId,
    string From,
    string Subject,
    string? Text,
    string? Html,
    string? InReplyTo,
    IReadOnlyList<string> References,
    DateTimeOffset ReceivedAt,
    string? AutoSubmitted,
    string? Precedence,
    string? XAutoreply)
{
    /// <summary>Whether the webhook carried a body; without one the message is read from AgentMail before routing.</summary>
    public bool HasBody => Text is not null || Html is not null;
}
