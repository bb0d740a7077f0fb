using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrdersMail.Integrations.Resend;

/// <summary>Resend's <c>POST /emails</c> (docs/resend.md §1, §2, §4), through the resilience pipeline of <see cref="ResendResilience"/>.</summary>
public sealed class ResendClient(HttpClient http, ResendMetrics metrics)
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    /// <summary>
    /// Sends <paramref name="email"/> once per <paramref name="idempotencyKey"/> (1–256 characters): a repeat with the
    /// same key and body answers the first send's id and sends nothing. Returns Resend's id for the email.
    /// </summary>
    /// <exception cref="ResendException">A definitive refusal (4xx other than 408 and 429).</exception>
    /// <exception cref="ResendUnavailableException">No definitive answer after the retries, or the circuit is open.</exception>
    public async Task<string> SendAsync(ResendEmail email, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("emails", UriKind.Relative));
        request.Headers.Add("Idempotency-Key", idempotencyKey);

        // Bytes, not a stream: a retry sends the same content again.
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(email));
        request.Content.Headers.ContentType = JsonMediaType;

        using var response = await SendThroughPipelineAsync(request, cancellationToken);
        if (IsTransient(response))
        {
            metrics.Record(ResendMetrics.Unavailable);
            throw new ResendUnavailableException($"Resend send: answered {(int)response.StatusCode} after the retries.") { StatusCode = (int)response.StatusCode };
        }

        if (!response.IsSuccessStatusCode)
        {
            metrics.Record(ResendMetrics.Rejected);
            var error = await ReadErrorAsync(response, cancellationToken);
            throw new ResendException((int)response.StatusCode, error?.Name, $"Resend answered {(int)response.StatusCode} {error?.Name}: {error?.Message ?? response.ReasonPhrase}");
        }

        metrics.Record(ResendMetrics.Success);
        var sent = await response.Content.ReadFromJsonAsync<SendResponse>(cancellationToken);
        return sent?.Id ?? throw new JsonException("Resend answered a send without an id.");
    }

    // The retry strategy's rule (HttpClientResiliencePredicates): true here means the retries ran out on it.
    private static bool IsTransient(HttpResponseMessage response) =>
        (int)response.StatusCode is 408 or 429 or >= 500;

    private async Task<HttpResponseMessage> SendThroughPipelineAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (BrokenCircuitException e)
        {
            throw Unavailable("the circuit is open after repeated failures, so nothing was sent", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw Unavailable($"the last attempt got no answer within {e.Timeout}", e);
        }
        catch (HttpRequestException e)
        {
            throw Unavailable($"unreachable ({e.HttpRequestError})", e);
        }
    }

    private ResendUnavailableException Unavailable(string what, Exception cause)
    {
        metrics.Record(ResendMetrics.Unavailable);
        return new ResendUnavailableException($"Resend send: {what}.", cause);
    }

    private static async Task<ErrorResponse?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<ErrorResponse>(cancellationToken);
        }
        catch (JsonException)
        {
            // docs/resend.md §4: a body that is not JSON is an application_error with no further words.
            return null;
        }
    }

    private sealed record SendResponse([property: JsonPropertyName("id")] string? Id);

    private sealed record ErrorResponse(
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("message")] string? Message);
}
