using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// Checks a <c>POST /emails</c> body the way Resend does, field by field, and answers with Resend's error
/// bodies: an absent required field is 422 <c>missing_required_field</c>; a present but malformed one is
/// 400 <c>validation_error</c> (the status Resend's error reference gives that name); an attachment with
/// neither <c>content</c> nor <c>path</c> is 422 <c>invalid_attachment</c>.
/// </summary>
public static partial class EmailValidation
{
    /// <summary>The most <c>to</c> recipients one email may have.</summary>
    public const int MaxRecipients = 50;

    /// <summary>The longest tag name or value.</summary>
    public const int MaxTagLength = 256;

    private const string AddressFormat = "The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.";

    /// <summary>The request, or the error to answer with.</summary>
    public static (SendEmailRequest? Request, IResult? Error) Validate(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);

        // Presence first: a body missing several fields is told about the first of from, to, subject.
        foreach (var field in (string[])["from", "to", "subject"])
        {
            if (IsAbsent(body[field]))
            {
                return Fail(422, "missing_required_field", $"Missing `{field}` field.");
            }
        }

        if (IsAbsent(body["html"]) && IsAbsent(body["text"]))
        {
            return Fail(422, "missing_required_field", "Missing `html` or `text` field.");
        }

        if (!TryString(body["from"], out var from) || EmailAddress.Bare(from!) is null)
        {
            return Invalid($"Invalid `from` field. {AddressFormat}");
        }

        if (!TryAddresses(body["to"], out var to))
        {
            return Invalid($"Invalid `to` field. {AddressFormat}");
        }

        if (to.Count > MaxRecipients)
        {
            return Invalid($"Too many recipients in `to`: {to.Count}. The maximum is {MaxRecipients}.");
        }

        if (!TryString(body["subject"], out var subject))
        {
            return Invalid("Invalid `subject` field. It must be a string.");
        }

        if (!TryString(body["html"], out var html) || !TryString(body["text"], out var text))
        {
            return Invalid("Invalid `html` or `text` field. They must be strings.");
        }

        var copies = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var field in (string[])["cc", "bcc", "reply_to"])
        {
            if (!TryAddresses(body[field], out var addresses))
            {
                return Invalid($"Invalid `{field}` field. {AddressFormat}");
            }

            copies[field] = addresses;
        }

        if (!TryHeaders(body["headers"], out var headers))
        {
            return Invalid("Invalid `headers` field. It must be an object of string values.");
        }

        if (!TryTags(body["tags"], out var tags))
        {
            return Invalid($"Invalid `tags` field. Each tag needs a `name`, and name and value may only contain ASCII letters, numbers, underscores or dashes, at most {MaxTagLength} characters.");
        }

        if (!AttachmentsHaveContent(body["attachments"]))
        {
            return Fail(422, "invalid_attachment", "Attachment must have either a `content` or `path`.");
        }

        return (new SendEmailRequest(from!, to, subject!, html, text, copies["cc"], copies["bcc"], copies["reply_to"], headers, tags), null);
    }

    private static (SendEmailRequest?, IResult?) Fail(int status, string name, string message) => (null, ResendError.Of(status, name, message));

    private static (SendEmailRequest?, IResult?) Invalid(string message) => Fail(400, "validation_error", message);

    private static bool IsAbsent(JsonNode? node) => node switch
    {
        null => true,
        JsonValue value when value.TryGetValue<string>(out var text) => string.IsNullOrWhiteSpace(text),
        JsonArray array => array.Count == 0,
        _ => false,
    };

    /// <summary>True for an absent value (null) or a string.</summary>
    private static bool TryString(JsonNode? node, out string? value)
    {
        value = null;
        if (node is null)
        {
            return true;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            return false;
        }

        value = node.GetValue<string>();
        return true;
    }

    /// <summary>A string or an array of strings, each an address; absent is an empty list.</summary>
    private static bool TryAddresses(JsonNode? node, out List<string> addresses)
    {
        addresses = [];
        var items = node switch
        {
            null => [],
            JsonArray array => [.. array],
            _ => new List<JsonNode?> { node },
        };
        foreach (var item in items)
        {
            if (!TryString(item, out var address) || address is null || EmailAddress.Bare(address) is null)
            {
                return false;
            }

            addresses.Add(address);
        }

        return true;
    }

    private static bool TryHeaders(JsonNode? node, out Dictionary<string, string> headers)
    {
        headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (node is null)
        {
            return true;
        }

        if (node is not JsonObject entries)
        {
            return false;
        }

        foreach (var (name, value) in entries)
        {
            if (!TryString(value, out var text) || text is null)
            {
                return false;
            }

            headers[name] = text;
        }

        return true;
    }

    private static bool TryTags(JsonNode? node, out List<EmailTag> tags)
    {
        tags = [];
        if (node is null)
        {
            return true;
        }

        if (node is not JsonArray array)
        {
            return false;
        }

        foreach (var item in array)
        {
            if (item is not JsonObject tag
                || !TryString(tag["name"], out var name) || !IsTagText(name, allowEmpty: false)
                || !TryString(tag["value"], out var value) || !IsTagText(value ?? "", allowEmpty: true))
            {
                return false;
            }

            tags.Add(new EmailTag(name!, value ?? ""));
        }

        return true;
    }

    private static bool IsTagText(string? text, bool allowEmpty) =>
        text is not null && text.Length <= MaxTagLength && (text.Length > 0 || allowEmpty) && TagCharacters().IsMatch(text);

    private static bool AttachmentsHaveContent(JsonNode? node) =>
        node is null
        || (node is JsonArray attachments && attachments.All(a => a is JsonObject attachment && (!IsAbsent(attachment["content"]) || !IsAbsent(attachment["path"]))));

    [GeneratedRegex("^[A-Za-z0-9_-]*$")]
    private static partial Regex TagCharacters();
}
