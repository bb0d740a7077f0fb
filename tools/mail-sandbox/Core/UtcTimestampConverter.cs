using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrdersMail.MailSandbox.Core;

/// <summary>
/// Timestamps as the providers write them: UTC with a <c>Z</c> (<c>2026-09-01T10:00:00.5140000Z</c>), not with an
/// offset. All seven fraction digits are kept, so a timestamp read back from a response (as a <c>before</c> or
/// <c>after</c> filter, say) names exactly the stored instant. Any ISO-8601 form is read.
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
    }
}
