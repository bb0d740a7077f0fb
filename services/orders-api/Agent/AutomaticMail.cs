using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Conversation;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Mail that must get no answer because answering could start a mail loop or talk to a machine (RFC 3834 §2):
/// automatic mail (<c>Auto-Submitted</c> other than <c>no</c>, <c>Precedence: bulk|list|junk|auto_reply</c>,
/// <c>X-Autoreply</c>, <c>X-Autorespond</c>), list mail and newsletters (<c>List-Id</c>, <c>List-Unsubscribe</c>),
/// bounces (mailer-daemon and postmaster senders) and senders that take no replies (noreply, no-reply, donotreply,
/// do-not-reply), whose answer would bounce. Loops through our own inboxes need the database and are checked there.
/// </summary>
public static class AutomaticMail
{
    private static readonly string[] BulkPrecedence = ["bulk", "list", "junk", "auto_reply"];
    private static readonly string[] BounceSenders = ["mailer-daemon", "postmaster"];
    private static readonly string[] NoReplySenders = ["noreply", "no-reply", "donotreply", "do-not-reply"];

    /// <summary>Why <paramref name="message"/> gets no answer, or null when it may get one.</summary>
    public static NoAnswer? Why(InboundMessageRouted message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (SenderVerification.AddressOf(message.From) is not { } sender)
        {
            return NoAnswer.NoSenderAddress;
        }

        var localPart = sender[..sender.IndexOf('@', StringComparison.Ordinal)];
        if (BounceSenders.Contains(localPart, StringComparer.OrdinalIgnoreCase))
        {
            return NoAnswer.Bounce;
        }

        var autoSubmitted = message.AutoSubmitted?.Trim();
        var isAutoReply = (!string.IsNullOrEmpty(autoSubmitted) && !autoSubmitted.Equals("no", StringComparison.OrdinalIgnoreCase))
            || BulkPrecedence.Contains(message.Precedence?.Trim(), StringComparer.OrdinalIgnoreCase)
            || !string.IsNullOrWhiteSpace(message.XAutoreply)
            || !string.IsNullOrWhiteSpace(message.XAutorespond)
            || !string.IsNullOrWhiteSpace(message.ListId)
            || !string.IsNullOrWhiteSpace(message.ListUnsubscribe);
        if (isAutoReply)
        {
            return NoAnswer.AutoReply;
        }

        // A sub-address (noreply+tag@) is the same mailbox.
        var mailbox = localPart.Split('+')[0];
        return NoReplySenders.Contains(mailbox, StringComparer.OrdinalIgnoreCase) ? NoAnswer.NoReplySender : null;
    }
}

/// <summary>Why the agent does not answer a message.</summary>
public enum NoAnswer
{
    /// <summary>The From header is not one mailbox, so there is no one to answer.</summary>
    NoSenderAddress,

    /// <summary>A delivery failure report from a mail server.</summary>
    Bounce,

    /// <summary>An automatic message (vacation responder, mailing list, newsletter, bulk mail).</summary>
    AutoReply,

    /// <summary>Mail from one of our own inboxes: answering would answer ourselves.</summary>
    Loop,

    /// <summary>The reply to this message is already in the outbox.</summary>
    AlreadyAnswered,

    /// <summary>
    /// The agent answered as many of the sender's messages on the order as it may within a while
    /// (<see cref="AnswerLimitOptions"/>): most likely an auto-responder answering each reply, so a person reviews it.
    /// </summary>
    TooManyAnswers,

    /// <summary>
    /// The agent answered as many messages on the order from senders other than its address, all of them together, as it
    /// may within a while (<see cref="AnswerLimitOptions.MaxStrangerAnswers"/>): most likely someone writing from ever new
    /// addresses, so a person reviews it.
    /// </summary>
    TooManyStrangerAnswers,

    /// <summary>A sender that takes no replies (noreply@, no-reply@, donotreply@, do-not-reply@): the answer would bounce.</summary>
    NoReplySender,

    /// <summary>
    /// The sender's address is longer than mail can be sent to (<see cref="SenderVerification.MaxAddressOctets"/>):
    /// no answer can reach it, so a person reviews the message.
    /// </summary>
    SenderAddressTooLong,

    /// <summary>
    /// An earlier reply to the sender's address bounced, drew a complaint or was rejected, and AgentMail refuses every send
    /// to it since (<see cref="BlockedRecipients"/>): a reply would fail unread, so a person reaches the sender another way.
    /// </summary>
    RecipientBlocked,
}
