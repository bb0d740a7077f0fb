using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// <c>failed/&lt;name&gt;.error.json</c>, beside each failed file: why it failed, in words a person can act on, and the
/// email and order it held when the file was readable enough to name them (so ops can find an order's failed email).
/// </summary>
/// <param name="File">The failed file's name.</param>
/// <param name="FailedAt">When the relay gave up on it.</param>
/// <param name="Field">The field at fault, <c>(file)</c> or <c>(provider)</c>.</param>
/// <param name="Rule">The rule it breaks.</param>
/// <param name="Reason">What was wrong with it, or the provider's answer.</param>
/// <param name="EmailId">The email it held, if known.</param>
/// <param name="OrderId">The order it was about, if known.</param>
public sealed record FailureNote(string File, DateTimeOffset FailedAt, string Field, string Rule, string Reason, Guid? EmailId, Guid? OrderId)
{
    /// <summary>How the note is written and read: indented snake_case, without the ids it does not know.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The note's file name beside the failed file <paramref name="name"/>.</summary>
    public static string NameFor(string name) => $"{name}.error.json";
}
