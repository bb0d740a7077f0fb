using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrdersMail.InboundRouter.Tests.Support;

/// <summary>The body of an AgentMail <c>message.received</c> event, as AgentMail posts it, for specs that post events themselves.</summary>
public static class ReceivedEvents
{
    /// <summary>
    /// A new event (its own event, thread and message ids unless <paramref name="messageId"/> is given) of a message to
    /// <paramref name="inboxId"/>; without <paramref name="text"/> the message comes without its body, as AgentMail leaves
    /// out a long one.
    /// </summary>
    public static byte[] For(string inboxId, string subject = "Where is my order?", string? text = "Hello", string? messageId = null, string from = "Jane <jane@acme.example>")
    {
        var message = new Dictionary<string, object>
        {
            ["inbox_id"] = inboxId,
            ["thread_id"] = Guid.NewGuid().ToString(),
            ["message_id"] = messageId ?? $"<{Guid.NewGuid():N}@acme.example>",
            ["timestamp"] = DateTimeOffset.UtcNow,
            ["from"] = from,
            ["subject"] = subject,
        };
        if (text is not null)
        {
            message["text"] = text;
        }

        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["type"] = "event",
            ["event_type"] = "message.received",
            ["event_id"] = $"evt_{Guid.NewGuid():N}",
            ["message"] = message,
        }));
    }

    /// <summary><paramref name="body"/> as JSON, changed by <paramref name="change"/>.</summary>
    public static byte[] With(byte[] body, Action<JsonNode> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var json = JsonNode.Parse(body)!;
        change(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
