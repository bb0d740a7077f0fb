using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrdersMail.InboundRouter.Ingress;

/// <summary>
/// The body of an AgentMail webhook (docs/agentmail.md §4): <c>{"type":"event","event_type","event_id", &lt;object&gt;}</c>,
/// with <c>message</c> for <c>message.received</c>; <c>send</c>, <c>delivery</c>, <c>bounce</c>, <c>complaint</c> or
/// <c>reject</c> for mail sent from the inbox.
/// Read only after the signature was verified.
/// </summary>
internal sealed record AgentMailEnvelope(
    string? EventType,
    string? EventId,
    ReceivedMessage? Message,
    DeliveryObject? Send,
    DeliveryObject? Delivery,
    DeliveryObject? Bounce,
    DeliveryObject? Complaint,
    DeliveryObject? Reject)
{
    /// <summary>snake_case, as AgentMail writes it; unknown members are ignored (§1).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.Strict,
    };
}

/// <summary>The <c>message</c> object of <c>message.received</c> (docs/agentmail.md §5), the members the router uses.</summary>
internal sealed record ReceivedMessage(
    string? InboxId,
    string? ThreadId,
    string? MessageId,
    DateTimeOffset? Timestamp,
    DateTimeOffset? CreatedAt,
    string? From,
    string? Subject,
    string? Text,
    string? ExtractedText,
    string? Html,
    string? ExtractedHtml,
    string? InReplyTo,
    IReadOnlyList<string>? References,
    IReadOnlyDictionary<string, string>? Headers);

/// <summary>
/// The objects about mail sent from the inbox: C of §4, plus a bounce's or a complaint's type and a rejection's reason.
/// </summary>
internal sealed record DeliveryObject(
    string? InboxId, string? ThreadId, string? MessageId, DateTimeOffset? Timestamp, string? Type, string? SubType, string? Reason = null);
