using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>
/// AgentMail's JSON: snake_case member names, metadata keys as they are, null optionals left out of requests, and
/// unknown response members ignored (the API adds members over time).
/// </summary>
internal static class AgentMailJson
{
    /// <summary>Options for every request and response body.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
