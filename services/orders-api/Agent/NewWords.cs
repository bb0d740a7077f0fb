using OrdersMail.Contracts.Inbound;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// What the agent reads of a message: the words the customer wrote now, not the thread they quote. A reply quotes the
/// agent's last answer ("You asked us to cancel this order..."), and its words, read as the customer's, made every later
/// reply in the thread a cancellation, whatever it asked.
/// </summary>
internal static class NewWords
{
    /// <summary>
    /// The new words AgentMail found (<see cref="InboundMessageRouted.NewText"/>); the whole text when it found none,
    /// they are all of it, or the message came from a router that did not carry them.
    /// </summary>
    public static string TextOf(InboundMessageRouted message) =>
        string.IsNullOrWhiteSpace(message.NewText) ? message.Text : message.NewText;

    /// <summary>
    /// The subject, when it is the customer's own words: a reply's (one with <c>In-Reply-To</c>) is the thread's, which
    /// the mail client copies with "Re:" from the message answered, ours or the customer's earlier one, so
    /// "Re: Please cancel my order" says what the thread began with, not what this reply asks; its new words say that.
    /// A customer who asks something new in a new email writes its subject.
    /// </summary>
    public static string? SubjectOf(InboundMessageRouted message) => message.InReplyTo is null ? message.Subject : null;
}
