using System.Text.Json.Nodes;

namespace OrdersMail.MailSandbox.AgentMail;

/// <summary>
/// One issue of a request body that fails AgentMail's schema, in the form zod v4 reports it: <c>code</c>, <c>path</c>,
/// <c>message</c> and the code's own members (<c>expected</c>, <c>minimum</c>, <c>values</c>...). The live API puts
/// these in the body verbatim, e.g. <c>{"expected":"array","code":"invalid_type","path":["event_types"],"message":"Invalid input: expected array, received undefined"}</c>.
/// </summary>
public sealed record SchemaIssue
{
    /// <summary>The type wanted, on <c>invalid_type</c>.</summary>
    public string? Expected { get; init; }

    /// <summary><c>invalid_type</c>, <c>too_small</c>, <c>too_big</c>, <c>invalid_format</c>, <c>invalid_value</c> or <c>custom</c>.</summary>
    public required string Code { get; init; }

    /// <summary>What was measured, on <c>too_small</c> / <c>too_big</c>: <c>string</c>, <c>array</c> or <c>object</c>.</summary>
    public string? Origin { get; init; }

    /// <summary>The least length or count allowed.</summary>
    public int? Minimum { get; init; }

    /// <summary>The greatest length or count allowed.</summary>
    public int? Maximum { get; init; }

    /// <summary>The format broken, on <c>invalid_format</c>: <c>url</c> or <c>regex</c>.</summary>
    public string? Format { get; init; }

    /// <summary>The allowed values, on <c>invalid_value</c>.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>Where in the body: member names and array indexes.</summary>
    public required IReadOnlyList<object> Path { get; init; }

    /// <summary>What is wrong, for a person.</summary>
    public required string Message { get; init; }

    /// <summary>A member of the wrong JSON type; <paramref name="received"/> null means the member is absent.</summary>
    public static SchemaIssue InvalidType(IReadOnlyList<object> path, string expected, JsonNode? received, bool absent = false) => new()
    {
        Expected = expected,
        Code = "invalid_type",
        Path = path,
        Message = $"Invalid input: expected {expected}, received {(absent ? "undefined" : TypeOf(received))}",
    };

    /// <summary>A string, array or object with fewer characters, items or keys than allowed.</summary>
    public static SchemaIssue TooSmall(IReadOnlyList<object> path, string origin, int minimum) => new()
    {
        Code = "too_small",
        Origin = origin,
        Minimum = minimum,
        Path = path,
        Message = $"Too small: expected {origin} to have >={minimum} {UnitOf(origin)}",
    };

    /// <summary>A string, array or object with more characters, items or keys than allowed.</summary>
    public static SchemaIssue TooBig(IReadOnlyList<object> path, string origin, int maximum) => new()
    {
        Code = "too_big",
        Origin = origin,
        Maximum = maximum,
        Path = path,
        Message = $"Too big: expected {origin} to have <={maximum} {UnitOf(origin)}",
    };

    /// <summary>A string that does not have the required form (a URL, a username...).</summary>
    public static SchemaIssue InvalidFormat(IReadOnlyList<object> path, string format, string message) => new()
    {
        Code = "invalid_format",
        Format = format,
        Path = path,
        Message = message,
    };

    /// <summary>A value outside an enumeration.</summary>
    public static SchemaIssue InvalidValue(IReadOnlyList<object> path, IReadOnlyList<string> values) => new()
    {
        Code = "invalid_value",
        Values = values,
        Path = path,
        Message = $"Invalid option: expected one of {string.Join('|', values.Select(v => $"\"{v}\""))}",
    };

    /// <summary>A rule the schema states in words (a refinement).</summary>
    public static SchemaIssue Custom(IReadOnlyList<object> path, string message) => new() { Code = "custom", Path = path, Message = message };

    /// <summary>zod's name for a JSON value's type.</summary>
    public static string TypeOf(JsonNode? node) => node?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => "string",
        System.Text.Json.JsonValueKind.Number => "number",
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "boolean",
        System.Text.Json.JsonValueKind.Array => "array",
        System.Text.Json.JsonValueKind.Object => "object",
        _ => "null",
    };

    private static string UnitOf(string origin) => origin switch
    {
        "string" => "characters",
        "array" => "items",
        _ => "keys",
    };
}
