namespace OrdersMail.Integrations.AgentMail;

/// <summary>
/// Classes of received mail AgentMail leaves out of message lists unless asked for (labels <c>unauthenticated</c> and
/// <c>spam</c>; <c>include_unauthenticated</c>, <c>include_spam</c>) and posts to webhooks only under an event type of
/// their own (<c>message.received.unauthenticated</c>, <c>message.received.spam</c>), never as <c>message.received</c>.
/// </summary>
[Flags]
public enum ReceivedMailClasses
{
    /// <summary>Neither: mail AgentMail lists, and posts as <c>message.received</c>.</summary>
    None = 0,

    /// <summary>AgentMail could not authenticate the sender (SPF, DKIM or DMARC failed).</summary>
    Unauthenticated = 1,

    /// <summary>AgentMail's filter took it for spam.</summary>
    Spam = 2,
}
