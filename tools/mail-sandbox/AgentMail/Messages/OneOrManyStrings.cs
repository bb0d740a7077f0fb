using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// Reads a field AgentMail types as <c>string | string[]</c> (<c>to</c>, <c>cc</c>, <c>bcc</c>, <c>reply_to</c>,
/// <c>add_labels</c>...) into a list, so the handlers see one shape whichever form the client sent.
/// </summary>
public sealed class OneOrManyStrings : JsonConverter<IReadOnlyList<string>>
{
    private const string Expected = "Expected a string or an array of strings.";

    /// <inheritdoc />
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return [reader.GetString()!];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException(Expected);
        }

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException(Expected);
            }

            values.Add(reader.GetString()!);
        }

        return values;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
