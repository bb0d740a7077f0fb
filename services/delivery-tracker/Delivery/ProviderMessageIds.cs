using OrdersMail.BuildingBlocks.Webhooks;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>
/// A Message-ID a provider's event names, in the <c>&lt;...&gt;</c> form we record ours in and the router compares
/// In-Reply-To and References against (AgentMail's come so): Resend's <c>data.message_id</c> may come with or
/// without the angle brackets.
/// </summary>
public static class ProviderMessageIds
{
    /// <summary>
    /// <paramref name="raw"/> as <c>&lt;id&gt;</c>; null when it names no usable id (empty, holding spaces, brackets or
    /// control characters, or too long for a header line), which then teaches nothing rather than failing the event.
    /// </summary>
    public static string? Normalize(string? raw)
    {
        var id = raw?.Trim();
        if (id is { Length: >= 2 } && id[0] == '<' && id[^1] == '>')
        {
            id = id[1..^1];
        }

        if (string.IsNullOrEmpty(id) || id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>'))
        {
            return null;
        }

        var normalized = $"<{id}>";
        return WebhookIdLimits.TooLong(("message_id", normalized, WebhookIdLimits.MessageIdBytes)) is null ? normalized : null;
    }
}
