using System.Diagnostics;
using System.Text.Json;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.BuildingBlocks.Text;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.Contracts.Outbound;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.InboundRouter.Secrets;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter.Ingress;

/// <summary>
/// Reads an AgentMail webhook body in steps: before verification only the inbox it names (whose webhook's secret must
/// have signed it); after verification its keys and type, which decide whether it is kept at all; then the event itself,
/// each shape checked, into the message the bus carries, or why it cannot be (it is kept, set aside for a person).
/// </summary>
internal static class AgentMailEventReader
{
    // A provider's words about one email (a bounce's type, a rejection's reason) are shown on the order; longer is
    // not a reason any more, and is cut rather than carried over the bus and into every view of the order.
    private const int MaxDetailLength = 500;

    /// <summary>
    /// The inbox the body names: the <c>inbox_id</c> of its event object; null when there is none to find, or what is
    /// there cannot be an inbox id (not text, longer than any provider id, or holding a NUL, which no stored id can).
    /// </summary>
    public static string? InboxOf(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var member in root.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Object
                && member.Value.TryGetProperty("inbox_id", out var inbox)
                && WebhookText.Of(inbox) is { Length: > 0 } inboxId
                && WebhookIdLimits.TooLong(("inbox_id", inboxId, WebhookIdLimits.IdBytes)) is null
                && HoldsNul("inbox_id", inboxId) is null)
            {
                return inboxId;
            }
        }

        return null;
    }

    /// <summary>
    /// The keys of the verified event, or why it is refused (answered 400): it is not an AgentMail event (no
    /// <c>event_id</c> or <c>event_type</c> as text), an id is too long to be a key, the router does not take its type, or
    /// it names an inbox besides the verified one. An event that passes is kept whether or not it can be read
    /// (<see cref="Read"/>): signed by the inbox's webhook, it is AgentMail's word about a real email.
    /// </summary>
    public static (EventKeys? Keys, string? Refusal) Identify(JsonElement root, string svixId, string inboxId)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, "the body is not an AgentMail event: it is not a JSON object");
        }

        var (eventId, noEventId) = Key(root, "event_id");
        if (eventId is null)
        {
            return (null, noEventId);
        }

        if (WebhookIdLimits.TooLong(("svix-id", svixId, WebhookIdLimits.IdBytes), ("event_id", eventId, WebhookIdLimits.IdBytes)) is { } tooLong)
        {
            return (null, tooLong);
        }

        var (eventType, noEventType) = Key(root, "event_type");
        if (eventType is null)
        {
            return (null, noEventType);
        }

        if (!AgentMailEventTypes.Taken.Contains(eventType))
        {
            return (null, $"event_type '{eventType}' is not one the router takes");
        }

        return NamesAnotherInbox(root, inboxId) ? (null, "the event names two inboxes") : (new EventKeys(svixId, eventId, inboxId, eventType), null);
    }

    // Read on their own, before the rest of the event: they decide whether a body that cannot be read whole is kept.
    private static (string? Text, string? Problem) Key(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, $"{name} is missing");
        }

        if (WebhookText.Of(value) is not { } text)
        {
            return (null, $"the body is not an AgentMail event: {name} is not text");
        }

        if (text.Length == 0)
        {
            return (null, $"{name} is missing");
        }

        return HoldsNul(name, text) is { } nul ? (null, nul) : (text, null);
    }

    // PostgreSQL's text cannot hold a NUL: a key holding one failed its insert, and with it every event of its group
    // commit, whoever's, answered 503 on every retry. No id of AgentMail's holds one (Kestrel refuses a header, svix-id
    // among them, that holds one).
    private static string? HoldsNul(string name, string value) =>
        value.Contains('\0', StringComparison.Ordinal) ? $"{name} holds a NUL character (\\u0000)" : null;

    // Signed for one inbox and naming another is a security refusal, whatever else the event holds: every object of the
    // event that names an inbox must name the verified one.
    private static bool NamesAnotherInbox(JsonElement root, string inboxId) =>
        root.EnumerateObject().Any(member => member.Value.ValueKind == JsonValueKind.Object
            && member.Value.TryGetProperty("inbox_id", out var inbox)
            && inbox.ValueKind != JsonValueKind.Null
            && WebhookText.Of(inbox) != inboxId);

    /// <summary>
    /// The identified event as an email to route or a bus message, or why it cannot be read as that event (a member
    /// AgentMail's schema requires missing, of another type, or too long to key its decision): it is set aside for a person.
    /// <paramref name="now"/> is the receipt, which an email's time may not be far ahead of (<see cref="ReceivedTime"/>).
    /// </summary>
    public static (IngressEvent? Event, string? Unreadable) Read(JsonElement root, EventKeys keys, OutboxWriter outbox, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(keys);
        AgentMailEnvelope envelope;
        try
        {
            envelope = root.Deserialize<AgentMailEnvelope>(AgentMailEnvelope.Json)!;
        }
        catch (JsonException e)
        {
            // The message quotes the path of what failed, a name holding a NUL and all (a header's): it is stored as the reason.
            return (null, $"the body cannot be read as {keys.EventType}: {NulFreeText.Of(e.Message)}");
        }

        var (eventId, inboxId) = (keys.EventId, keys.InboxId);
        if (AgentMailEventTypes.ReceivedAs(keys.EventType) is { } classes)
        {
            var (email, invalid) = Received(eventId, envelope.Message, inboxId, classes, now);
            return email is null ? (null, invalid) : (new IngressEvent(keys.SvixId, eventId, inboxId, keys.EventType, null, email), null);
        }

        var (entry, problem) = keys.EventType switch
        {
            AgentMailEventTypes.Sent => Delivery(eventId, envelope.Send, "send", DeliveryState.Sent, inboxId, outbox),
            AgentMailEventTypes.Delivered => Delivery(eventId, envelope.Delivery, "delivery", DeliveryState.Delivered, inboxId, outbox),
            AgentMailEventTypes.Bounced => Delivery(eventId, envelope.Bounce, "bounce", DeliveryState.Bounced, inboxId, outbox),
            AgentMailEventTypes.Complained => Delivery(eventId, envelope.Complaint, "complaint", DeliveryState.Complained, inboxId, outbox),
            AgentMailEventTypes.Rejected => Delivery(eventId, envelope.Reject, "reject", DeliveryState.Failed, inboxId, outbox),
            var other => throw new UnreachableException($"Identify let event_type '{other}' through, which Read does not know."),
        };
        return entry is null ? (null, problem) : (new IngressEvent(keys.SvixId, eventId, inboxId, keys.EventType, entry, null), null);
    }

    private static (EmailToRoute?, string?) Received(string eventId, ReceivedMessage? m, string inboxId, ReceivedMailClasses classes, DateTimeOffset now)
    {
        if (m is null)
        {
            return (null, "message is missing");
        }

        if (Missing(("message.inbox_id", m.InboxId), ("message.message_id", m.MessageId), ("message.thread_id", m.ThreadId), ("message.from", m.From)) is { } missing)
        {
            return (null, $"{missing} is missing");
        }

        if (WebhookIdLimits.TooLong(("message.message_id", m.MessageId, WebhookIdLimits.MessageIdBytes), ("message.thread_id", m.ThreadId, WebhookIdLimits.IdBytes)) is { } tooLong)
        {
            return (null, tooLong);
        }

        if (m.Timestamp is not { } timestamp)
        {
            return (null, "message.timestamp is missing");
        }

        // timestamp is when it was sent by the sender's clock (its Date), which may be hours off; created_at is when
        // AgentMail received it, by AgentMail's: what routing compares with when the customer's orders were placed.
        var email = InboundEmailReceived.Of(
            eventId, inboxId, m.MessageId!, m.ThreadId!, m.From!, m.Subject, new MessageBody(m.Text ?? m.ExtractedText, m.Html, m.ExtractedText, m.ExtractedHtml), m.InReplyTo, m.References,
            ReceivedTime.Of(m.CreatedAt, timestamp, now), m.Headers, classes);
        return (new EmailToRoute(email.ToJson(), TraceParents.Current()), null);
    }

    private static (OutboxEntry?, string?) Delivery(string eventId, DeliveryObject? d, string name, DeliveryState state, string inboxId, OutboxWriter outbox)
    {
        if (d is null)
        {
            return (null, $"{name} is missing");
        }

        if (Missing(($"{name}.inbox_id", d.InboxId), ($"{name}.message_id", d.MessageId)) is { } missing)
        {
            return (null, $"{missing} is missing");
        }

        if (WebhookIdLimits.TooLong(($"{name}.message_id", d.MessageId, WebhookIdLimits.MessageIdBytes)) is { } tooLong)
        {
            return (null, tooLong);
        }

        if (d.Timestamp is not { } timestamp)
        {
            return (null, $"{name}.timestamp is missing");
        }

        var detail = d.Reason is { Length: > 0 } reason ? $"rejected by AgentMail: {reason}"
            : d.Type is null ? null : string.Join(' ', new[] { d.Type, d.SubType }.OfType<string>());
        detail = Cut(detail);

        // A bounce's type decides whether the reply is to be sent again (a full mailbox) or given up; cut as the detail is,
        // since no real type or sub-type comes near the limit.
        var (bounceType, bounceSubType) = state == DeliveryState.Bounced ? (Cut(d.Type), Cut(d.SubType)) : (null, null);
        return (outbox.Prepare(new AgentMailDeliveryReported(eventId, inboxId, d.MessageId!, state, detail, timestamp, bounceType, bounceSubType)), null);
    }

    private static string? Cut(string? text) => text is null ? null : TextCut.Marked(text, MaxDetailLength, "…");

    private static string? Missing(params (string Name, string? Value)[] fields) =>
        fields.FirstOrDefault(f => string.IsNullOrEmpty(f.Value)).Name;
}
