using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// Writes every string with U+0000 replaced by U+FFFD (<see cref="NulFreeText"/>). Outbox payloads are <c>jsonb</c>, which cannot hold <c>\u0000</c>:
/// one signed email carrying a NUL (AgentMail escapes it faithfully) would otherwise fail the insert, and with it the
/// whole group commit of every event recorded beside it, on every retry. No mail text means anything by a NUL.
/// </summary>
internal sealed class NulFreeStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(NulFreeText.Of(value));
    }
}
