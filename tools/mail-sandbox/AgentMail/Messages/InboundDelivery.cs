using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// "A customer sends this email to the inbox": stores it as received mail (labels <c>received</c>, <c>unread</c>)
/// in the thread its <c>In-Reply-To</c>/<c>References</c> point to, then raises <c>message.received</c> with the
/// message and its thread (<c>message.received.unauthenticated</c> for mail whose sender failed authentication,
/// <c>message.received.spam</c> for mail marked spam).
/// </summary>
public sealed class InboundDelivery(AgentMailStore store, AgentMailEvents events)
{
    /// <summary>The domain of generated Message-IDs of inbound mail.</summary>
    public const string MessageIdDomain = "sandbox.agentmail.to";

    /// <summary>Delivers the email; 404 for an unknown inbox, 400 for a bad sender or recipient, 409 for a Message-ID already in the inbox.</summary>
    public (StoredMessage? Message, IResult? Error) Deliver(string inboxId, InboundEmailRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (store.FindInbox(inboxId) is not { } inbox)
        {
            return (null, AgentMailError.NotFound("Inbox not found"));
        }

        var issues = new List<ValidationIssue>();
        if (EmailAddresses.Bare(request.From) is null)
        {
            issues.Add(new ValidationIssue(["from"], request.From is null ? "Required" : $"Invalid email address: '{request.From}'", request.From is null ? "invalid_type" : "invalid_string"));
        }

        EmailAddresses.Check(request.To, "to", issues);
        EmailAddresses.Check(request.Cc, "cc", issues);
        EmailAddresses.Check(request.ReplyTo, "reply_to", issues);
        if (request.Spam == true && request.Authenticated == false)
        {
            issues.Add(new ValidationIssue(["spam"], "AgentMail raises one event per message: mail it could not authenticate is not also raised as spam", "custom"));
        }

        if (issues.Count > 0)
        {
            return (null, AgentMailError.Validation(issues[0].Message, [.. issues]));
        }

        var messageId = MessageIds.Normalize(Header(request, "Message-ID")) ?? MessageIds.New(MessageIdDomain);
        var inReplyTo = MessageIds.Normalize(request.InReplyTo ?? Header(request, "In-Reply-To"));
        IReadOnlyList<string>? references = request.References is { } listed
            ? [.. listed.Select(MessageIds.Normalize).OfType<string>()]
            : MessageIds.Split(Header(request, "References"));
        var now = DateTimeOffset.UtcNow;
        var unauthenticated = request.Authenticated == false;
        var spam = request.Spam == true;

        StoredMessage message;
        ThreadItem thread;
        lock (store.Sync)
        {
            if (store.Messages.ContainsKey((inbox.InboxId, messageId)))
            {
                return (null, AgentMailError.Conflict($"The inbox already holds a message {messageId}."));
            }

            message = new StoredMessage
            {
                InboxId = inbox.InboxId,
                ThreadId = Threading.ThreadFor(store, inbox.InboxId, inReplyTo, references),
                MessageId = messageId,
                Labels = unauthenticated ? ["received", "unread", MessageLabels.Unauthenticated]
                    : spam ? ["received", "unread", MessageLabels.Spam]
                    : ["received", "unread"],
                Timestamp = now,
                From = request.From!.Trim(),
                To = request.To is { Count: > 0 } to ? to : [EmailAddresses.Of(inbox)],
                Cc = request.Cc is { Count: > 0 } cc ? cc : null,
                ReplyTo = request.ReplyTo is { Count: > 0 } replyTo ? replyTo : null,
                Subject = request.Subject,
                Preview = MessageContent.Preview(request.Text),
                Text = request.Text,
                Html = request.Html,
                ExtractedText = MessageContent.ExtractedText(request.Text),
                InReplyTo = inReplyTo,
                References = references.Count > 0 ? references : null,
                Headers = request.Headers is { Count: > 0 } headers ? headers : null,
                Size = 0,
                UpdatedAt = now,
                CreatedAt = now,
            };
            message = message with { Size = MessageContent.Size(message) };
            store.Messages[(inbox.InboxId, messageId)] = message;
            thread = Threading.Summarize(store, inbox.InboxId, message.ThreadId);
        }

        var eventType = unauthenticated ? MessageEventTypes.ReceivedUnauthenticated : spam ? MessageEventTypes.ReceivedSpam : MessageEventTypes.Received;
        events.Raise(inbox.InboxId, eventType, new Dictionary<string, object> { ["message"] = message, ["thread"] = thread });
        return (message, null);
    }

    private static string? Header(InboundEmailRequest request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
