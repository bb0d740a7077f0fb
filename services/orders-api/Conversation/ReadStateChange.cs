using System.Text.Json;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>The body of <c>PATCH .../read</c>.</summary>
/// <param name="IsRead">Read (true) or unread (false).</param>
public sealed record ReadStateChange(bool IsRead)
{
    /// <summary>The problem of any other body, keyed <c>is_read</c>.</summary>
    public static Dictionary<string, string[]> Problem() => new() { ["is_read"] = ["is_read is required and must be true or false."] };

    /// <summary>The change <paramref name="body"/> asks for; null when it is not an object with a boolean <c>is_read</c>.</summary>
    public static ReadStateChange? From(JsonElement? body) => JsonBody.Flag(body, "is_read") is { } isRead ? new ReadStateChange(isRead) : null;
}
