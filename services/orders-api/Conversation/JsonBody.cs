using System.Text.Json;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>
/// What the PATCH bodies share. They are read by hand rather than bound, so every way one can be wrong (not JSON, a
/// field missing or of the wrong type) is answered with a problem naming the field, never with the framework's generic 400.
/// </summary>
internal static class JsonBody
{
    /// <summary>The problem of a body that is not a JSON object, keyed <c>body</c> (a new dictionary each time: callers may add to it).</summary>
    public static Dictionary<string, string[]> NotAnObject() => new() { ["body"] = ["The body must be a JSON object."] };

    /// <summary>The boolean field <paramref name="name"/> of <paramref name="body"/>; null when there is no body object, or the field is missing or not true/false.</summary>
    public static bool? Flag(JsonElement? body, string name) =>
        body is { } value && value.TryGetProperty(name, out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? flag.GetBoolean()
            : null;
}
