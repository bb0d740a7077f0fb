using System.Globalization;
using System.Text.Json;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.Contracts.Outbound;
using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>
/// Reads a verified Resend webhook body by field name, never by position: real payloads put <c>type</c> last and
/// mix timestamp formats (docs/resend.md §5). Never throws on what the body holds.
/// </summary>
public static class ResendEventParser
{
    private static readonly Dictionary<string, DeliveryState> Tracked = new(StringComparer.Ordinal)
    {
        ["email.sent"] = DeliveryState.Sent,
        ["email.delivery_delayed"] = DeliveryState.DeliveryDelayed,
        ["email.delivered"] = DeliveryState.Delivered,

        // Whatever bounce.type, so the order's timeline shows it; a soft one also leaves the email to be sent again (DeliveryStateStore).
        ["email.bounced"] = DeliveryState.Bounced,

        // Resend did not send it: the address is on the suppression list after an earlier bounce or complaint. No
        // bounce follows, so ignored, the email would show "sent" for good while it never left.
        ["email.suppressed"] = DeliveryState.Bounced,
        ["email.complained"] = DeliveryState.Complained,
        ["email.failed"] = DeliveryState.Failed,
    };

    // Documented events that say nothing about delivery: the other email events, and those of contacts, domains,
    // suppressions and topics (docs/resend.md §5). Acknowledged, so that an endpoint subscribed to everything in
    // Resend's dashboard does not have Svix retry them for a day; anything else is refused.
    private static readonly HashSet<string> Untracked = new(StringComparer.Ordinal)
    {
        "email.scheduled", "email.opened", "email.clicked", "email.received",
        "contact.created", "contact.updated", "contact.deleted", "contact.topics.updated",
        "domain.created", "domain.updated", "domain.deleted",
        "suppression.added", "suppression.removed",
        "topic.created", "topic.updated", "topic.deleted",
    };

    /// <summary>
    /// Parses <paramref name="body"/>, the raw bytes whose signature was verified; its email is the relay's when it
    /// carries the relay's tag with <paramref name="senderTag"/>, this deployment's value (<see cref="RelayOptions.SenderTag"/>).
    /// </summary>
    public static ResendEvent Parse(ReadOnlySpan<byte> body, string senderTag)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return Parse(document.RootElement, senderTag);
        }
        catch (JsonException)
        {
            return Invalid(null, "the body is not JSON");
        }
    }

    private static ResendEvent Parse(JsonElement root, string senderTag)
    {
        if (root.ValueKind != JsonValueKind.Object || Text(root, "type") is not { } type)
        {
            return Invalid(null, "the body has no type");
        }

        if (Untracked.Contains(type))
        {
            return new ResendEvent(ResendEventKind.Ignored, type);
        }

        if (!Tracked.TryGetValue(type, out var state))
        {
            return Invalid(type, $"unknown event type '{type}'");
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object || Text(data, "email_id") is not { } emailId)
        {
            return Invalid(type, "data.email_id is missing");
        }

        if (WebhookIdLimits.TooLong(("data.email_id", emailId, WebhookIdLimits.IdBytes)) is { } tooLong)
        {
            return Invalid(type, tooLong);
        }

        // No email of ours has such an id, and PostgreSQL could not even look one up.
        if (emailId.Contains('\0', StringComparison.Ordinal))
        {
            return Invalid(type, "data.email_id holds a NUL character (\\u0000)");
        }

        // The event's own time; an event without one is placed at its email's creation.
        if ((Time(root, "created_at") ?? Time(data, "created_at")) is not { } occurredAt)
        {
            return Invalid(type, "created_at is missing or not a timestamp");
        }

        return new ResendEvent(ResendEventKind.Tracked, type, emailId, state, Detail(type, data), occurredAt, SentByRelay: SentByRelay(data, senderTag),
            InternetMessageId: ProviderMessageIds.Normalize(Text(data, "message_id")), Bounce: Bounce(type, data));
    }

    // Only email.bounced's: a suppression is Resend refusing the address after an earlier bounce, final whatever it says.
    private static BounceKind? Bounce(string type, JsonElement data) =>
        type == "email.bounced" && data.TryGetProperty("bounce", out var bounce) && bounce.ValueKind == JsonValueKind.Object
            ? BounceKind.Of(Text(bounce, "type"), Text(bounce, "subType"))
            : null;

    // Events echo the send's tags as an object, name to value (docs/resend.md §5). Another deployment's value is
    // another sender's: its emails are in its own database, never in ours.
    private static bool SentByRelay(JsonElement data, string senderTag) =>
        data.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object
        && string.Equals(Text(tags, RelayTag.Name), senderTag, StringComparison.Ordinal);

    private static string? Detail(string type, JsonElement data) => type switch
    {
        "email.bounced" when data.TryGetProperty("bounce", out var bounce) && bounce.ValueKind == JsonValueKind.Object =>
            Words(Text(bounce, "type"), Text(bounce, "message")),
        "email.suppressed" => data.TryGetProperty("suppressed", out var suppressed) && suppressed.ValueKind == JsonValueKind.Object
            ? Words("Suppressed", Text(suppressed, "reason"), Text(suppressed, "message"))
            : "Suppressed",
        "email.failed" when data.TryGetProperty("failed", out var failed) && failed.ValueKind == JsonValueKind.Object =>
            Text(failed, "reason"),
        _ => null,
    };

    private static string? Words(params string?[] parts) =>
        string.Join(": ", parts.OfType<string>()) is { Length: > 0 } words ? words : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && WebhookText.Of(value) is { Length: > 0 } text ? text : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        Text(element, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static ResendEvent Invalid(string? type, string problem) => new(ResendEventKind.Invalid, type, Problem: problem);
}
