using System.Diagnostics;
using System.Text.RegularExpressions;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Conversation;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// The outbox file of a reply: to the sender, <c>Re:</c> their subject (never <c>Re: Re:</c>), threaded under their
/// Message-ID, and sent from their inbox through AgentMail's reply endpoint (<c>inbox_id</c>, <c>reply_to_message_id</c>).
/// </summary>
public static partial class AgentReplyEmail
{
    /// <summary>The reply to <paramref name="message"/> with <paramref name="body"/>.</summary>
    public static OutboxEmail For(InboundMessageRouted message, string body)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new OutboxEmail
        {
            To = [SenderVerification.AddressOf(message.From) ?? throw new ArgumentException("The message has no sender address to answer.", nameof(message))],
            Subject = Subject(message.Subject),
            Body = body,
            InReplyTo = message.MessageId,
            References = References(message.References, message.MessageId),
            EmailId = AgentReplyIds.For(message.OrderId, message.MessageId),
            OrderId = message.OrderId,
            OrderRef = message.OrderRef,
            Kind = OutboxEmailKinds.AgentReply,
            InboxId = message.InboxId,

            // AgentMail's message id is the RFC Message-ID.
            ReplyToMessageId = message.MessageId,
            TraceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null,
        };
    }

    /// <summary><c>Re: </c> and the original subject, unless it already starts with a <c>Re:</c> of any case.</summary>
    public static string Subject(string? original)
    {
        var subject = original?.Trim() ?? "";
        return subject.Length == 0 ? "Re: your message" : AlreadyAReply().IsMatch(subject) ? subject : $"Re: {subject}";
    }

    /// <summary>The thread's Message-IDs, space separated: theirs, then the message answered, each once.</summary>
    public static string References(IReadOnlyList<string>? references, string messageId) =>
        string.Join(' ', (references ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Append(messageId).Distinct(StringComparer.Ordinal));

    [GeneratedRegex(@"^re\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AlreadyAReply();
}
