using System.Text.Json;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>
/// A PATCH body read by hand rather than bound, so every way it can be wrong (not JSON, a field missing or of the
/// wrong type) is answered with a problem naming the field, never with the framework's generic 400.
/// </summary>
internal static class JsonBody
{
    /// <summary>The problem of a body that is not a JSON object, keyed <c>body</c> (a new dictionary each time: callers may add to it).</summary>
    public static Dictionary<string, string[]> NotAnObject() => new() { ["body"] = ["The body must be a JSON object."] };

    /// <summary>The body's JSON object, or null when it is empty, not JSON, or not an object.</summary>
    public static async Task<JsonElement?> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The boolean field <paramref name="name"/> of <paramref name="body"/>; null when it is missing or not true/false.</summary>
    public static bool? Flag(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;
}
