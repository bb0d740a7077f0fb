using System.Text.Json;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.Contracts.Outbound;
using OrdersMail.InboundRouter.Routing;

namespace OrdersMail.InboundRouter.Ingress;

/// <summary>
/// Reads an AgentMail webhook body in two steps: before verification only the inbox it names (whose webhook's secret
/// must have signed it), after verification the event itself, each shape checked, into the message the bus carries.
/// </summary>
internal static class AgentMailEventReader
{
    // A provider's words about one email (a bounce's type, a rejection's reason) are shown on the order; longer is
    // not a reason any more, and is cut rather than carried over the bus and into every view of the order.
    private const int MaxDetailLength = 500;

    /// <summary>
    /// The inbox the body names: the <c>inbox_id</c> of its event object; null when there is none to find, or what is
    /// there cannot be an inbox id (not text, or longer than any provider id).
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
                && inbox.ValueKind == JsonValueKind.String
                && TextOf(inbox) is { Length: > 0 } inboxId
                && WebhookIdLimits.TooLong(("inbox_id", inboxId, WebhookIdLimits.IdBytes)) is null)
            {
                return inboxId;
            }
        }

        return null;
    }

    // Nothing is verified yet, so the string may be anything the parser takes: it does not check that an escaped
    // surrogate is paired or that raw bytes inside a string are UTF-8, and reading either as text throws.
    private static string? TextOf(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The verified event as an email to route or a bus message, or why it cannot be either (answered 400).</summary>
    public static (IngressEvent? Event, string? Problem) Read(JsonElement root, string svixId, string inboxId, OutboxWriter outbox)
    {
        AgentMailEnvelope envelope;
        try
        {
            envelope = root.Deserialize<AgentMailEnvelope>(AgentMailEnvelope.Json)!;
        }
        catch (JsonException e)
        {
            return (null, $"the body is not an AgentMail event: {e.Message}");
        }

        if (string.IsNullOrEmpty(envelope.EventId))
        {
            return (null, "event_id is missing");
        }

        if (WebhookIdLimits.TooLong(("svix-id", svixId, WebhookIdLimits.IdBytes), ("event_id", envelope.EventId, WebhookIdLimits.IdBytes)) is { } tooLong)
        {
            return (null, tooLong);
        }

        if (envelope.EventType is AgentMailEventTypes.Received or AgentMailEventTypes.ReceivedUnauthenticated)
        {
            var (email, invalid) = Received(envelope.EventId, envelope.Message, inboxId, unauthenticated: envelope.EventType == AgentMailEventTypes.ReceivedUnauthenticated);
            return email is null ? (null, invalid) : (new IngressEvent(svixId, envelope.EventId, inboxId, envelope.EventType, null, email), null);
        }

        var (entry, problem) = envelope.EventType switch
        {
            AgentMailEventTypes.Sent => Delivery(envelope.EventId, envelope.Send, "send", DeliveryState.Sent, inboxId, outbox),
            AgentMailEventTypes.Delivered => Delivery(envelope.EventId, envelope.Delivery, "delivery", DeliveryState.Delivered, inboxId, outbox),
            AgentMailEventTypes.Bounced => Delivery(envelope.EventId, envelope.Bounce, "bounce", DeliveryState.Bounced, inboxId, outbox),
            AgentMailEventTypes.Complained => Delivery(envelope.EventId, envelope.Complaint, "complaint", DeliveryState.Complained, inboxId, outbox),
            AgentMailEventTypes.Rejected => Delivery(envelope.EventId, envelope.Reject, "reject", DeliveryState.Failed, inboxId, outbox),
            null => (null, "event_type is missing"),
            var other => (null, $"event_type '{other}' is not one the router takes"),
        };
        return entry is null ? (null, problem) : (new IngressEvent(svixId, envelope.EventId, inboxId, envelope.EventType!, entry, null), null);
    }

    private static (EmailToRoute?, string?) Received(string eventId, ReceivedMessage? m, string inboxId, bool unauthenticated)
    {
        if (m is null)
        {
            return (null, "message is missing");
        }

        if (Missing(("message.inbox_id", m.InboxId), ("message.message_id", m.MessageId), ("message.thread_id", m.ThreadId), ("message.from", m.From)) is { } missing)
        {
            return (null, $"{missing} is missing");
        }

        if (m.InboxId != inboxId)
        {
            return (null, "the event names two inboxes");
        }

        if (WebhookIdLimits.TooLong(("message.message_id", m.MessageId, WebhookIdLimits.MessageIdBytes), ("message.thread_id", m.ThreadId, WebhookIdLimits.IdBytes)) is { } tooLong)
        {
            return (null, tooLong);
        }

        if (m.Timestamp is not { } timestamp)
        {
            return (null, "message.timestamp is missing");
        }

        var email = InboundEmailReceived.Of(
            eventId, inboxId, m.MessageId!, m.ThreadId!, m.From!, m.Subject, (m.Text ?? m.ExtractedText, m.Html), m.InReplyTo, m.References, timestamp, m.Headers, unauthenticated);
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

        if (d.InboxId != inboxId)
        {
            return (null, "the event names two inboxes");
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
        if (detail is { Length: > MaxDetailLength })
        {
            detail = detail[..MaxDetailLength] + "…";
        }

        return (outbox.Prepare(new AgentMailDeliveryReported(eventId, inboxId, d.MessageId!, state, detail, timestamp)), null);
    }

    private static string? Missing(params (string Name, string? Value)[] fields) =>
        fields.FirstOrDefault(f => string.IsNullOrEmpty(f.Value)).Name;
}
