using System.Text.Json;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>The body of <c>PATCH .../archive</c>.</summary>
/// <param name="Archived">Archive (true) or unarchive (false).</param>
public sealed record ArchiveChange(bool Archived)
{
    /// <summary>The problem of any other body, keyed <c>archived</c>.</summary>
    public static Dictionary<string, string[]> Problem() => new() { ["archived"] = ["archived is required and must be true or false."] };

    /// <summary>The change <paramref name="body"/> asks for; null when it is not an object with a boolean <c>archived</c>.</summary>
    public static ArchiveChange? From(JsonElement? body) => JsonBody.Flag(body, "archived") is { } archived ? new ArchiveChange(archived) : null;
}
