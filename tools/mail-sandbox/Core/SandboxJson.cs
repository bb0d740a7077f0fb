using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrdersMail.MailSandbox.Core;

/// <summary>
/// The providers' JSON conventions: snake_case names, absent optionals left out rather than sent as null
/// (AgentMail's and Resend's responses omit them), and <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> written as they are
/// (<c>"Acme &lt;orders@acme.example&gt;"</c>, <c>"&lt;id@mail&gt;"</c>), and timestamps in UTC with a <c>Z</c>, as the
/// real services send them.
/// </summary>
public static class SandboxJson
{
    /// <summary>Options for every request and response body of the emulated APIs.</summary>
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the conventions to <paramref name="options"/> (used for ASP.NET Core's own options too).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new UtcTimestampConverter());
        return options;
    }

    /// <summary>Serializes a webhook payload exactly once: these bytes are what is signed and sent.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
