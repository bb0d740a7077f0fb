using System.Text.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.AgentMail.Inboxes;

namespace OrdersMail.MailSandbox.AgentMail.Webhooks;

/// <summary>The members webhook create and update bodies share, read with the schema's rules.</summary>
public static class WebhookFields
{
    /// <summary>The most inbox ids, and the most pod ids, one webhook may be scoped to.</summary>
    public const int MaxScopeIds = 10;

    /// <summary>
    /// <c>event_types</c>: each one of <see cref="EventTypes.All"/>, duplicates dropped. On create the member is
    /// required and must not be empty; on update <c>[]</c> means "unchanged" and reads as null, like an absent member.
    /// </summary>
    public static IReadOnlyList<string>? ReadEventTypes(RequestBody body, bool required)
    {
        ArgumentNullException.ThrowIfNull(body);
        var types = body.ReadStrings("event_types", required);
        if (types is null)
        {
            return null;
        }

        if (types.Count == 0)
        {
            if (required)
            {
                body.Add(SchemaIssue.TooSmall(["event_types"], "array", 1));
            }

            return null;
        }

        var known = true;
        for (var i = 0; i < types.Count; i++)
        {
            if (!EventTypes.All.Contains(types[i], StringComparer.Ordinal))
            {
                body.Add(SchemaIssue.InvalidValue(["event_types", i], EventTypes.All));
                known = false;
            }
        }

        return known ? [.. types.Distinct(StringComparer.Ordinal)] : null;
    }

    /// <summary><c>url</c> (required): an absolute <c>http</c> or <c>https</c> URL, where deliveries are POSTed.</summary>
    public static string ReadUrl(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var url = body.ReadString("url", required: true);
        if (url is null)
        {
            return "";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            body.Add(SchemaIssue.InvalidFormat(["url"], "url", "Invalid URL"));
        }

        return url;
    }

    /// <summary>An optional list of inbox or pod ids, at most <see cref="MaxScopeIds"/> of them, duplicates dropped.</summary>
    public static IReadOnlyList<string> ReadScopeIds(RequestBody body, string member, bool limited)
    {
        ArgumentNullException.ThrowIfNull(body);
        var ids = body.ReadStrings(member) ?? [];
        if (limited && ids.Count > MaxScopeIds)
        {
            body.Add(SchemaIssue.TooBig([member], "array", MaxScopeIds));
        }

        return [.. ids.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary><c>headers</c>: optional custom headers sent with every delivery, at least one when present. Write-only.</summary>
    public static IReadOnlyDictionary<string, string> ReadHeaders(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!body.TryGet("headers", out var node))
        {
            return headers;
        }

        if (node is not JsonObject map)
        {
            body.Add(SchemaIssue.InvalidType(["headers"], "record", node));
            return headers;
        }

        if (map.Count == 0)
        {
            body.Add(SchemaIssue.TooSmall(["headers"], "object", 1));
        }

        foreach (var (name, value) in map)
        {
            if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String)
            {
                headers[name] = text.GetValue<string>();
            }
            else
            {
                body.Add(SchemaIssue.InvalidType(["headers", name], "string", value));
            }
        }

        return headers;
    }
}
