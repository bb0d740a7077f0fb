namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>The message event types this folder raises.</summary>
public static class MessageEventTypes
{
    /// <summary>Inbound mail arrived; objects <c>message</c> and <c>thread</c>.</summary>
    public const string Received = "message.received";

    /// <summary>Inbound mail whose sender failed authentication (opt-in; not also raised as <see cref="Received"/>).</summary>
    public const string ReceivedUnauthenticated = "message.received.unauthenticated";

    /// <summary>Inbound mail AgentMail's filter marked as spam (opt-in; not also raised as <see cref="Received"/>).</summary>
    public const string ReceivedSpam = "message.received.spam";

    /// <summary>The inbox sent mail; object <c>send</c>.</summary>
    public const string Sent = "message.sent";

    /// <summary>Sent mail reached its recipients; object <c>delivery</c>.</summary>
    public const string Delivered = "message.delivered";

    /// <summary>Sent mail bounced; object <c>bounce</c>.</summary>
    public const string Bounced = "message.bounced";

    /// <summary>A recipient marked delivered mail as spam; object <c>complaint</c>.</summary>
    public const string Complained = "message.complained";

    /// <summary>AgentMail rejected mail it had accepted, and sent none of it; object <c>reject</c>.</summary>
    public const string Rejected = "message.rejected";
}

/// <summary>Labels AgentMail gives mail it receives, beside <c>received</c> and <c>unread</c>.</summary>
public static class MessageLabels
{
    /// <summary>The sender failed authentication: such mail is left out of lists unless they ask for it.</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>AgentMail's filter took it for spam: such mail is left out of lists unless they ask for it.</summary>
    public const string Spam = "spam";
}

/// <summary>The <c>send</c> object of <c>message.sent</c> and the <c>delivery</c> object of <c>message.delivered</c>.</summary>
/// <param name="InboxId">The inbox that sent.</param>
/// <param name="ThreadId">The sent message's thread.</param>
/// <param name="MessageId">The sent message.</param>
/// <param name="Timestamp">When it was sent.</param>
/// <param name="Recipients">Bare addresses: all recipients for <c>send</c>, those reached for <c>delivery</c>.</param>
public sealed record DeliveryNotice(string InboxId, string ThreadId, string MessageId, DateTimeOffset Timestamp, IReadOnlyList<string> Recipients);

/// <summary>The <c>bounce</c> object of <c>message.bounced</c>.</summary>
/// <param name="InboxId">The inbox that sent.</param>
/// <param name="ThreadId">The sent message's thread.</param>
/// <param name="MessageId">The sent message.</param>
/// <param name="Timestamp">When it was sent.</param>
/// <param name="Type">The SES bounce type; the sandbox's bounces are all <c>Permanent</c>.</param>
/// <param name="SubType">The SES bounce sub-type; always <c>General</c>.</param>
/// <param name="Recipients">The addresses that bounced.</param>
public sealed record BounceNotice(
    string InboxId,
    string ThreadId,
    string MessageId,
    DateTimeOffset Timestamp,
    string Type,
    string SubType,
    IReadOnlyList<BouncedRecipient> Recipients);

/// <summary>One recipient of a <see cref="BounceNotice"/>.</summary>
/// <param name="Address">The bare address.</param>
/// <param name="Status">Always <c>bounced</c>.</param>
public sealed record BouncedRecipient(string Address, string Status);

/// <summary>The <c>complaint</c> object of <c>message.complained</c>.</summary>
/// <param name="InboxId">The inbox that sent.</param>
/// <param name="ThreadId">The sent message's thread.</param>
/// <param name="MessageId">The sent message.</param>
/// <param name="Timestamp">When it was sent.</param>
/// <param name="Type">The complaint's type; the sandbox's are all <c>abuse</c>.</param>
/// <param name="SubType">The complaint's sub-type, which the sandbox leaves out.</param>
/// <param name="Recipients">The bare addresses that complained.</param>
public sealed record ComplaintNotice(
    string InboxId,
    string ThreadId,
    string MessageId,
    DateTimeOffset Timestamp,
    string Type,
    string? SubType,
    IReadOnlyList<string> Recipients);

/// <summary>The <c>reject</c> object of <c>message.rejected</c>.</summary>
/// <param name="InboxId">The inbox that sent.</param>
/// <param name="ThreadId">The sent message's thread.</param>
/// <param name="MessageId">The sent message.</param>
/// <param name="Timestamp">When it was sent.</param>
/// <param name="Reason">Why AgentMail rejected it.</param>
public sealed record RejectNotice(string InboxId, string ThreadId, string MessageId, DateTimeOffset Timestamp, string Reason);
