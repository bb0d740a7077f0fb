using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// Reads request bodies by hand rather than through minimal-API binding: a malformed body must get AgentMail's
/// <c>ValidationError</c> (not ASP.NET Core's bare 400), and send idempotency compares the raw JSON.
/// </summary>
public static partial class MessageBody
{
    /// <summary>The body as a JSON value, or a 400 when it is missing or not JSON.</summary>
    public static async Task<(JsonElement Body, IResult? Error)> ReadAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, AgentMailError.Validation("The request body must be a JSON object.", new ValidationIssue([], e.Message, "invalid_type")));
        }
    }

    /// <summary>The body as <typeparamref name="T"/> (snake_case, unknown keys ignored), or a 400 naming the bad field.</summary>
    public static (T? Value, IResult? Error) Bind<T>(JsonElement body)
        where T : class
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, AgentMailError.Validation("The request body must be a JSON object.", new ValidationIssue([], "Expected object", "invalid_type")));
        }

        try
        {
            return (body.Deserialize<T>(SandboxJson.Options), null);
        }
        catch (JsonException e)
        {
            var path = PathOf(e.Path);
            var field = path.Count > 0 ? string.Join('.', path) : "body";
            return (null, AgentMailError.Validation($"Invalid {field}.", new ValidationIssue(path, e.Message, "invalid_type")));
        }
    }

    /// <summary>Turns System.Text.Json's <c>$.to[1]</c> into the zod-style path <c>["to", 1]</c>.</summary>
    private static List<object> PathOf(string? jsonPath) =>
        [.. PathSegment().Matches(jsonPath ?? "").Select(m => m.Groups["index"].Success
            ? (object)int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture)
            : m.Groups["name"].Value)];

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<name>[^']+)'\]")]
    private static partial Regex PathSegment();
}
