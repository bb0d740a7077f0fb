using System.Text.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail;

/// <summary>
/// A JSON request body read member by member, collecting every schema issue the way AgentMail's zod schemas report
/// them, so one 400 lists them all with their paths. Members a schema does not know are ignored (zod strips them),
/// and an empty body reads as <c>{}</c> (inbox create takes none at all). Minimal-API binding is not used: its 400s
/// are not AgentMail's, and it cannot tell an absent member from a <c>null</c> one, which inbox update needs.
/// </summary>
public sealed class RequestBody
{
    // A repeated member is refused while parsing: JsonObject would otherwise throw on first access, long after.
    private static readonly JsonDocumentOptions Parsing = new() { AllowDuplicateProperties = false };

    private readonly JsonObject _json;
    private readonly IResult? _unreadable;
    private readonly List<SchemaIssue> _issues = [];

    private RequestBody(JsonObject json, IResult? unreadable = null)
    {
        _json = json;
        _unreadable = unreadable;
    }

    /// <summary>The 400 to answer when the body is unreadable or an issue was found; null when it is valid.</summary>
    public IResult? Failure => _unreadable ?? (_issues.Count > 0 ? SchemaValidationError.Of(_issues) : null);

    /// <summary>Reads the request's body. A body that is not JSON reads as <c>{}</c> with a <see cref="Failure"/>.</summary>
    public static async Task<RequestBody> ReadAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new RequestBody([]);
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: Parsing);
        }
        catch (JsonException e)
        {
            return new RequestBody([], AgentMailError.Validation("The request body is not valid JSON.", new ValidationIssue([], e.Message, "invalid_json")));
        }

        if (node is JsonObject json)
        {
            return new RequestBody(json);
        }

        var body = new RequestBody([]);
        body.Add(SchemaIssue.InvalidType([], "object", node));
        return body;
    }

    /// <summary>Whether the body has the member at all (even as <c>null</c>).</summary>
    public bool Has(string name) => _json.ContainsKey(name);

    /// <summary>The member's raw value; false when absent. A JSON <c>null</c> is present with a null value.</summary>
    public bool TryGet(string name, out JsonNode? value) => _json.TryGetPropertyValue(name, out value);

    /// <summary>A string member, or null when absent or of another type (<c>null</c> included: zod's <c>optional()</c> is not nullable).</summary>
    public string? ReadString(string name, bool required = false)
    {
        if (!_json.TryGetPropertyValue(name, out var node))
        {
            if (required)
            {
                Add(SchemaIssue.InvalidType([name], "string", null, absent: true));
            }

            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }

        Add(SchemaIssue.InvalidType([name], "string", node));
        return null;
    }

    /// <summary>An array-of-strings member, or null when absent or when it or one of its items has another type.</summary>
    public IReadOnlyList<string>? ReadStrings(string name, bool required = false)
    {
        if (!_json.TryGetPropertyValue(name, out var node))
        {
            if (required)
            {
                Add(SchemaIssue.InvalidType([name], "array", null, absent: true));
            }

            return null;
        }

        if (node is not JsonArray array)
        {
            Add(SchemaIssue.InvalidType([name], "array", node));
            return null;
        }

        var strings = new List<string>(array.Count);
        var before = _issues.Count;
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue item && item.GetValueKind() == JsonValueKind.String)
            {
                strings.Add(item.GetValue<string>());
            }
            else
            {
                Add(SchemaIssue.InvalidType([name, i], "string", array[i]));
            }
        }

        return _issues.Count == before ? strings : null;
    }

    /// <summary>Records an issue found by a rule of the caller's.</summary>
    public void Add(SchemaIssue issue) => _issues.Add(issue);
}
