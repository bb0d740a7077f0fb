using OrdersMail.MailSandbox.AgentMail.Inboxes;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// Sends mail from an inbox: stores it with the <c>sent</c> label, then raises <c>message.sent</c> followed by
/// <c>message.delivered</c> for the recipients reached, <c>message.bounced</c> for those marked as bouncing and
/// <c>message.complained</c> for those marked as complaining (after their delivery). Mail to an address marked as
/// rejecting raises only <c>message.rejected</c>: AgentMail accepted the call and then sent none of it. After a bounce,
/// a complaint or a rejection AgentMail refuses every later send to the address (docs/agentmail.md §4): the call is
/// answered 403 <c>message_rejected</c> and nothing is sent.
/// Delivery is instant; only the webhook dispatcher's faults can delay or reorder what receivers see.
/// </summary>
public sealed class OutboundSender(AgentMailStore store, AgentMailEvents events)
{
    /// <summary>Sends <paramref name="email"/> from <paramref name="inbox"/> and returns the new ids, or the refusal of a blocked recipient.</summary>
    public (SendMessageResponse? Sent, IResult? Error) Send(StoredInbox inbox, OutgoingEmail email)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(email);
        if (EmailAddresses.BareDistinct(email.To, email.Cc, email.Bcc).FirstOrDefault(store.BlockedAddresses.Contains) is { } blocked)
        {
            return (null, AgentMailError.ForStatus(403, $"{blocked} bounced, complained or was rejected before and is blocked", "message_rejected"));
        }

        var now = DateTimeOffset.UtcNow;
        var message = new StoredMessage
        {
            InboxId = inbox.InboxId,
            ThreadId = email.ThreadId ?? Guid.NewGuid().ToString(),
            MessageId = MessageIds.New(inbox.Email[(inbox.Email.IndexOf('@', StringComparison.Ordinal) + 1)..]),
            Labels = email.Labels,
            Timestamp = now,
            From = EmailAddresses.Of(inbox),
            To = email.To,
            Cc = email.Cc,
            Bcc = email.Bcc,
            ReplyTo = email.ReplyTo,
            Subject = email.Subject,
            Preview = MessageContent.Preview(email.Text),
            Text = email.Text,
            Html = email.Html,
            ExtractedText = MessageContent.ExtractedText(email.Text),
            InReplyTo = email.InReplyTo,
            References = email.References,
            Headers = email.Headers,
            Size = 0,
            UpdatedAt = now,
            CreatedAt = now,
        };
        message = message with { Size = MessageContent.Size(message) };
        lock (store.Sync)
        {
            store.Messages[(message.InboxId, message.MessageId)] = message;
        }

        RaiseOutcome(message);
        return (new SendMessageResponse(message.MessageId, message.ThreadId), null);
    }

    private void RaiseOutcome(StoredMessage message)
    {
        var recipients = EmailAddresses.BareDistinct(message.To, message.Cc, message.Bcc);
        if (recipients.FirstOrDefault(store.RejectingAddresses.Contains) is { } rejecting)
        {
            events.Raise(message.InboxId, MessageEventTypes.Rejected, new Dictionary<string, object>
            {
                ["reject"] = new RejectNotice(message.InboxId, message.ThreadId, message.MessageId, message.Timestamp, $"{rejecting} is on the sandbox's reject list"),
            });
            store.BlockedAddresses.Add([rejecting]);
            return;
        }

        events.Raise(message.InboxId, MessageEventTypes.Sent, new Dictionary<string, object>
        {
            ["send"] = new DeliveryNotice(message.InboxId, message.ThreadId, message.MessageId, message.Timestamp, recipients),
        });

        var bounced = recipients.Where(store.BouncingAddresses.Contains).ToList();
        var delivered = recipients.Except(bounced, StringComparer.OrdinalIgnoreCase).ToList();
        var complained = delivered.Where(store.ComplainingAddresses.Contains).ToList();
        store.BlockedAddresses.Add(bounced.Concat(complained));
        if (delivered.Count > 0)
        {
            events.Raise(message.InboxId, MessageEventTypes.Delivered, new Dictionary<string, object>
            {
                ["delivery"] = new DeliveryNotice(message.InboxId, message.ThreadId, message.MessageId, message.Timestamp, delivered),
            });
        }

        if (bounced.Count > 0)
        {
            events.Raise(message.InboxId, MessageEventTypes.Bounced, new Dictionary<string, object>
            {
                ["bounce"] = new BounceNotice(
                    message.InboxId, message.ThreadId, message.MessageId, message.Timestamp, "Permanent", "General",
                    [.. bounced.Select(address => new BouncedRecipient(address, "bounced"))]),
            });
        }

        if (complained.Count > 0)
        {
            events.Raise(message.InboxId, MessageEventTypes.Complained, new Dictionary<string, object>
            {
                ["complaint"] = new ComplaintNotice(message.InboxId, message.ThreadId, message.MessageId, message.Timestamp, "abuse", null, complained),
            });
        }
    }
}
