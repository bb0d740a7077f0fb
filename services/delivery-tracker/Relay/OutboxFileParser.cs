using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// Checks an outbox file against the format (docs/architecture.md, "The outbox directory") and reads it. Fields it
/// does not know are allowed and left in the file, which is never rewritten.
/// </summary>
public static class OutboxFileParser
{
    /// <summary>The most recipients (to, cc and bcc together) one email may have: Resend's limit (docs/resend.md §1).</summary>
    public const int MaxRecipients = 50;

    private static readonly string[] RecipientFields = ["to", "cc", "bcc"];
    private static readonly string[] AgentReplyFields = ["inbox_id", "reply_to_message_id"];
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>Parses <paramref name="content"/>, the file <paramref name="fileName"/>.</summary>
    public static ParsedFile Parse(string fileName, ReadOnlySpan<byte> content, int maxBodyBytes)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(content, documentOptions: Strict);
        }
        catch (JsonException e)
        {
            return Unreadable(content, e);
        }

        if (root is not JsonObject file)
        {
            return new ParsedFile.Invalid(new FileProblem("(file)", "the file must be one JSON object", "the JSON is not an object"), null, null);
        }

        // Its strings are read field by field, and one that is not UTF-8 would fail only there: checked whole, first.
        if (!Utf8.IsValid(content))
        {
            return new ParsedFile.Invalid(
                new FileProblem("(file)", "the file must be UTF-8 text", $"the file holds bytes that are not UTF-8, from byte {FirstInvalidByte(content)}"), null, null);
        }

        // JSON null is read as absent, as the checks read it: "cc": null is no copy recipient, not a list that is null.
        foreach (var nullField in file.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            file.Remove(nullField);
        }

        try
        {
            return Read(fileName, file, maxBodyBytes);
        }
        catch (InvalidOperationException e)
        {
            // UTF-8 all through, yet a string may escape half a surrogate pair ("\ud800"), which no text holds: reading
            // it throws wherever it is read.
            return new ParsedFile.Invalid(new FileProblem("(file)", "the file's strings must be Unicode text", $"a string cannot be read as text: {e.Message}"), null, null);
        }
    }

    private static ParsedFile Read(string fileName, JsonObject file, int maxBodyBytes)
    {
        var emailId = TryGuid(file["email_id"], out var declaredId);
        var orderId = TryGuid(file["order_id"], out var declaredOrder);
        var problem = (emailId, orderId, TryGuid(file["sent_again_of"], out _)) switch
        {
            (false, _, _) => new FileProblem("email_id", "email_id, when present, must be a UUID", $"email_id is not a UUID: {file["email_id"]?.ToJsonString()}"),
            (_, false, _) => new FileProblem("order_id", "order_id, when present, must be a UUID", $"order_id is not a UUID: {file["order_id"]?.ToJsonString()}"),
            (_, _, false) => new FileProblem("sent_again_of", "sent_again_of, when present, must be a UUID", $"sent_again_of is not a UUID: {file["sent_again_of"]?.ToJsonString()}"),
            _ => Check(file, maxBodyBytes),
        };
        var id = EmailIdentity.Of(fileName, declaredId);
        return problem is null
            ? new ParsedFile.Valid(id, file.Deserialize<OutboxEmail>()!)
            : new ParsedFile.Invalid(problem, id, declaredOrder);
    }

    // A field given twice is JSON all the same, but which value is meant cannot be told: invalid, not "not JSON yet".
    private static ParsedFile Unreadable(ReadOnlySpan<byte> content, JsonException strict)
    {
        try
        {
            JsonNode.Parse(content);
        }
        catch (JsonException e)
        {
            return new ParsedFile.NotJson(new FileProblem("(file)", "the file must be one JSON object", $"not JSON: {e.Message}"));
        }

        return new ParsedFile.Invalid(new FileProblem("(file)", "each field appears at most once", $"a field appears twice: {strict.Message}"), null, null);
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> content)
    {
        var at = 0;
        while (Rune.DecodeFromUtf8(content[at..], out _, out var length) == OperationStatus.Done)
        {
            at += length;
        }

        return at;
    }

    private static FileProblem? Check(JsonObject file, int maxBodyBytes) =>
        Addresses(file, "to", required: true)
        ?? Text(file, "subject")
        ?? Text(file, "body")
        ?? Addresses(file, "cc", required: false)
        ?? Addresses(file, "bcc", required: false)
        ?? Status(file)
        ?? RecipientCount(file)
        ?? BodySize(file, maxBodyBytes)
        ?? OptionalText(file, "in_reply_to") ?? OptionalText(file, "references") ?? OptionalText(file, "reply_to")
        ?? OptionalText(file, "kind") ?? OptionalText(file, "inbox_id") ?? OptionalText(file, "reply_to_message_id")
        ?? OptionalText(file, "order_ref") ?? OptionalText(file, "traceparent")
        ?? StoredText(file, "subject") ?? StoredText(file, "kind")
        ?? AgentReply(file);

    private static FileProblem? Addresses(JsonObject file, string field, bool required)
    {
        var rule = required ? $"{field} must be an array of one or more email addresses" : $"{field}, when present, must be an array of email addresses";
        switch (file[field])
        {
            case null when required:
                return new FileProblem(field, rule, $"{field} is missing");
            case null:
                return null;
            case JsonArray { Count: 0 } when required:
                return new FileProblem(field, rule, $"{field} is empty");
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    // A NUL is named as such, the more telling reason, wherever it stands in the address.
                    if (array[i]?.GetValueKind() == JsonValueKind.String && Nul($"{field}[{i}]", array[i]!) is { } nul)
                    {
                        return nul;
                    }

                    if (array[i]?.GetValueKind() != JsonValueKind.String || !MailAddresses.IsSendable(array[i]!.GetValue<string>()))
                    {
                        return new FileProblem($"{field}[{i}]", rule, $"{field}[{i}] is not an email address: {array[i]?.ToJsonString() ?? "null"}");
                    }
                }

                return null;
            case var other:
                return new FileProblem(field, rule, $"{field} must be an array, not {KindOf(other)}");
        }
    }

    private static FileProblem? Text(JsonObject file, string field) => file[field] switch
    {
        null => new FileProblem(field, $"{field} must be a non-empty string", $"{field} is missing"),
        var node when node.GetValueKind() != JsonValueKind.String => new FileProblem(field, $"{field} must be a non-empty string", $"{field} must be a string, not {KindOf(node)}"),
        var node when string.IsNullOrWhiteSpace(node.GetValue<string>()) => new FileProblem(field, $"{field} must be a non-empty string", $"{field} is empty"),
        _ => null,
    };

    private static FileProblem? OptionalText(JsonObject file, string field) =>
        file[field] is { } node && node.GetValueKind() != JsonValueKind.String
            ? new FileProblem(field, $"{field}, when present, must be a string", $"{field} must be a string, not {KindOf(node)}")
            : null;

    // An email's subject, kind and recipients are stored, and PostgreSQL's text cannot hold U+0000: such an email could
    // be sent but never recorded, and so be sent again and again. No address or subject means anything by a NUL.
    private static FileProblem? StoredText(JsonObject file, string field) => file[field] is { } node ? Nul(field, node) : null;

    private static FileProblem? Nul(string field, JsonNode text) =>
        text.GetValue<string>().IndexOf('\0', StringComparison.Ordinal) is var at and >= 0
            ? new FileProblem(field, $"{field} must not contain the NUL character (\\u0000)", $"{field} holds a NUL character (\\u0000) at position {at}")
            : null;

    private static FileProblem? Status(JsonObject file) =>
        file["status"] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == OutboxEmail.PendingStatus
            ? null
            : new FileProblem("status", "status must be \"pending\"", $"status is {file["status"]?.ToJsonString() ?? "missing"}");

    private static FileProblem? RecipientCount(JsonObject file)
    {
        var count = RecipientFields.Sum(f => (file[f] as JsonArray)?.Count ?? 0);
        return count > MaxRecipients
            ? new FileProblem("to", $"to, cc and bcc together hold at most {MaxRecipients} addresses", $"{count} recipients")
            : null;
    }

    private static FileProblem? BodySize(JsonObject file, int maxBodyBytes)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(file["body"]!.GetValue<string>());
        return bytes > maxBodyBytes
            ? new FileProblem("body", $"body must be at most {maxBodyBytes} bytes (the provider's limit)", $"body is {bytes} bytes")
            : null;
    }

    private static FileProblem? AgentReply(JsonObject file)
    {
        if (file["kind"]?.GetValue<string>() != OutboxEmailKinds.AgentReply)
        {
            return null;
        }

        var missing = AgentReplyFields.FirstOrDefault(f => string.IsNullOrWhiteSpace(file[f]?.GetValue<string>()));
        return missing is null
            ? null
            : new FileProblem(missing, "an agent_reply names inbox_id and reply_to_message_id: the inbox it is sent from and the message it answers", $"{missing} is missing");
    }

    // The UUID's one JSON form, the 36 characters of "D" that System.Text.Json reads: Guid.TryParse also takes other
    // notations (no dashes, braces, spaces around), which would pass this check and then fail the file's reading.
    private static bool TryGuid(JsonNode? node, out Guid? value)
    {
        value = null;
        if (node is null)
        {
            return true;
        }

        if (node.GetValueKind() == JsonValueKind.String && node.GetValue<string>() is { Length: 36 } text && Guid.TryParseExact(text, "D", out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    private static string KindOf(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an array",
    };
}
