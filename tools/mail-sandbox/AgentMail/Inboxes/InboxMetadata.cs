using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrdersMail.MailSandbox.AgentMail.Inboxes;

/// <summary>
/// Inbox <c>metadata</c>: at most 256 keys, each key and each string value at most 256 characters, values strings,
/// numbers or booleans. An update merges: included keys are set, omitted keys kept, a key set to <c>null</c> removed.
/// </summary>
public static class InboxMetadata
{
    /// <summary>The most keys an inbox may have.</summary>
    public const int MaxKeys = 256;

    /// <summary>The longest key and the longest string value.</summary>
    public const int MaxLength = 256;

    /// <summary>Reads a create's <c>metadata</c>; null when absent or invalid (the issues are recorded).</summary>
    public static Dictionary<string, JsonElement>? ReadNew(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!body.TryGet("metadata", out var node))
        {
            return null;
        }

        var entries = ReadEntries(body, node, allowNull: false);
        return entries is null ? null : entries.ToDictionary(e => e.Key, e => e.Value!.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// Reads an update's <c>metadata</c>: the changes by key (a null value removes the key). A <c>null</c> metadata
    /// reads as no changes with <paramref name="clear"/> set; null is returned when it is absent or invalid.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonElement?>? ReadChanges(RequestBody body, out bool clear)
    {
        ArgumentNullException.ThrowIfNull(body);
        clear = false;
        if (!body.TryGet("metadata", out var node))
        {
            return null;
        }

        if (node is null)
        {
            clear = true;
            return null;
        }

        var entries = ReadEntries(body, node, allowNull: true);
        if (entries is { Count: 0 })
        {
            body.Add(SchemaIssue.Custom(["metadata"], "metadata must not be empty: send keys to set or remove, or null to clear it"));
            return null;
        }

        return entries;
    }

    /// <summary><paramref name="current"/> with <paramref name="changes"/> applied; null when nothing is left.</summary>
    public static Dictionary<string, JsonElement>? Merge(IReadOnlyDictionary<string, JsonElement>? current, IReadOnlyDictionary<string, JsonElement?> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var merged = current is null ? new Dictionary<string, JsonElement>(StringComparer.Ordinal) : new Dictionary<string, JsonElement>(current, StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            if (value is { } set)
            {
                merged[key] = set;
            }
            else
            {
                merged.Remove(key);
            }
        }

        return merged.Count > 0 ? merged : null;
    }

    private static Dictionary<string, JsonElement?>? ReadEntries(RequestBody body, JsonNode? node, bool allowNull)
    {
        if (node is not JsonObject map)
        {
            body.Add(SchemaIssue.InvalidType(["metadata"], "record", node));
            return null;
        }

        var valid = true;
        if (map.Count > MaxKeys)
        {
            body.Add(SchemaIssue.TooBig(["metadata"], "object", MaxKeys));
            valid = false;
        }

        var entries = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            if (key.Length is 0 or > MaxLength)
            {
                body.Add(key.Length == 0 ? SchemaIssue.TooSmall(["metadata", key], "string", 1) : SchemaIssue.TooBig(["metadata", key], "string", MaxLength));
                valid = false;
                continue;
            }

            switch (value?.GetValueKind())
            {
                case null when allowNull:
                    entries[key] = null;
                    break;
                case JsonValueKind.String when value.GetValue<string>().Length > MaxLength:
                    body.Add(SchemaIssue.TooBig(["metadata", key], "string", MaxLength));
                    valid = false;
                    break;
                case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    entries[key] = value.Deserialize<JsonElement>();
                    break;
                default:
                    body.Add(SchemaIssue.InvalidType(["metadata", key], allowNull ? "string | number | boolean | null" : "string | number | boolean", value));
                    valid = false;
                    break;
            }
        }

        return valid ? entries : null;
    }
}
