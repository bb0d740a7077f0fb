using OrdersMail.MailSandbox.AgentMail.Inboxes;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// Sends mail from an inbox: stores it with the <c>sent</c> label, then raises <c>message.sent</c> followed by
/// <c>message.delivered</c> for the recipients reached, <c>message.bounced</c> for those marked as bouncing and
/// <c>message.complained</c> for those marked as complaining (after their delivery). Mail to an address marked as
/// rejecting raises only <c>message.rejected</c>: AgentMail accepted the call and then sent none of it.
/// Delivery is instant; only the webhook dispatcher's faults can delay or reorder what receivers see.
/// </summary>
public sealed class OutboundSender(AgentMailStore store, AgentMailEvents events)
{
    /// <summary>Sends <paramref name="email"/> from <paramref name="inbox"/> and returns the new ids.</summary>
    public SendMessageResponse Send(StoredInbox inbox, OutgoingEmail email)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(email);
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
        return new SendMessageResponse(message.MessageId, message.ThreadId);
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
            return;
        }

        events.Raise(message.InboxId, MessageEventTypes.Sent, new Dictionary<string, object>
        {
            ["send"] = new DeliveryNotice(message.InboxId, message.ThreadId, message.MessageId, message.Timestamp, recipients),
        });

        var bounced = recipients.Where(store.BouncingAddresses.Contains).ToList();
        var delivered = recipients.Except(bounced, StringComparer.OrdinalIgnoreCase).ToList();
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

        var complained = delivered.Where(store.ComplainingAddresses.Contains).ToList();
        if (complained.Count > 0)
        {
            events.Raise(message.InboxId, MessageEventTypes.Complained, new Dictionary<string, object>
            {
                ["complaint"] = new ComplaintNotice(message.InboxId, message.ThreadId, message.MessageId, message.Timestamp, "abuse", null, complained),
            });
        }
    }
}
