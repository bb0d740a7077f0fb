using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrdersMail.Integrations.Resend;

/// <summary>
/// Resend's error body, <c>{statusCode, message, name}</c> (docs/resend.md §4), read from an answer the pipeline has
/// already read whole within its attempt's timeout (<c>AnswerReadingHandler</c>), so reading it here never waits on the
/// network. Read once per answer: the quota check reads a 429's, the client any other refusal's.
/// </summary>
internal sealed record ResendErrorBody(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("message")] string? Message)
{
    /// <summary>Resend's names for a 429 that is a quota used up, not the rate limit.</summary>
    public static readonly IReadOnlySet<string> QuotaNames = new HashSet<string>(StringComparer.Ordinal) { "daily_quota_exceeded", "monthly_quota_exceeded" };

    /// <summary>The error of <paramref name="response"/>, or null when its body is not Resend's.</summary>
    public static async Task<ResendErrorBody?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<ResendErrorBody>(cancellationToken);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // docs/resend.md §4: a body that is not JSON is an application_error with no further words; so is one
            // labelled with a charset .NET cannot decode (System.Net.Http.Json's InvalidOperationException), whose
            // status still decides.
            return null;
        }
    }
}
