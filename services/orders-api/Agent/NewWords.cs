using OrdersMail.Contracts.Inbound;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// What the agent reads of a message: the words the customer wrote now, not the thread they quote, their signature or
/// their phone's line. A reply quotes the agent's last answer ("You asked us to cancel this order..."), and its words,
/// read as the customer's, made every later reply in the thread a cancellation, whatever it asked. The rules, the
/// English test and the model's prompt all read these words.
/// </summary>
public static class NewWords
{
    /// <summary>
    /// The new words AgentMail found (<see cref="InboundMessageRouted.NewText"/>); when it found none (no quote, a reply
    /// that is only its quote, or a router from before the field), the text of a message that is no reply and, of a
    /// reply, the part above the history it quotes (<see cref="QuotedHistory"/>). Either without its signature and phone
    /// line (<see cref="Signatures"/>).
    /// </summary>
    public static string TextOf(InboundMessageRouted message)
    {
        var written = !string.IsNullOrWhiteSpace(message.NewText) ? message.NewText
            : IsReply(message) ? QuotedHistory.Cut(message.Text)
            : message.Text;
        return Signatures.Cut(written).Trim();
    }

    /// <summary>
    /// True when <paramref name="message"/> is a reply with no words of the customer's own: only the history it quotes,
    /// a signature or a phone's line. Most often a photo sent in answer: there is nothing for the agent to read.
    /// </summary>
    public static bool HasNone(InboundMessageRouted message) => IsReply(message) && TextOf(message).Length == 0;

    /// <summary>
    /// The subject, when it is the customer's own words: a reply's (one with <c>In-Reply-To</c>) is the thread's, which
    /// the mail client copies with "Re:" from the message answered, ours or the customer's earlier one, so
    /// "Re: Please cancel my order" says what the thread began with, not what this reply asks; its new words say that.
    /// A customer who asks something new in a new email writes its subject.
    /// </summary>
    public static string? SubjectOf(InboundMessageRouted message) => IsReply(message) ? null : message.Subject;

    private static bool IsReply(InboundMessageRouted message) => message.InReplyTo is not null;
}
