using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrdersMail.Integrations.Resend;

/// <summary>Resend's <c>POST /emails</c> and <c>POST /emails/batch</c> (docs/resend.md §1, §2, §4), through the resilience pipeline of <see cref="ResendResilience"/>.</summary>
public sealed class ResendClient(HttpClient http, ResendMetrics metrics)
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    /// <summary>
    /// Sends <paramref name="email"/> once per <paramref name="idempotencyKey"/> (1–256 characters): a repeat with the
    /// same key and body answers the first send's id and sends nothing. Returns Resend's id for the email.
    /// </summary>
    /// <exception cref="ResendException">A definitive refusal (4xx other than 408 and 429).</exception>
    /// <exception cref="ResendQuotaExceededException">Refused for the team's quota: nothing was sent; send it again after the pause.</exception>
    /// <exception cref="ResendUnavailableException">No definitive answer after the retries, or the circuit is open.</exception>
    public async Task<string> SendAsync(ResendEmail email, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var sent = await PostAsync<SendResponse>("emails", JsonSerializer.SerializeToUtf8Bytes(email), idempotencyKey, "send", cancellationToken);
        return sent?.Id ?? throw new JsonException("Resend answered a send without an id.");
    }

    /// <summary>
    /// Sends up to 100 emails in one request (<c>POST /emails/batch</c>, one request to the rate limit) once per
    /// <paramref name="idempotencyKey"/>, which covers the whole batch: a repeat with the same key and the same bytes
    /// answers the first send's ids and sends nothing; the same key with other members is refused (409). The body is
    /// taken as given (a JSON array of emails) so that a batch sent again after a lost answer is byte for byte the
    /// batch first sent. Returns Resend's ids in the order of the emails. Strict: one invalid email refuses the batch,
    /// and nothing of it is sent.
    /// </summary>
    /// <exception cref="ResendException">A definitive refusal (4xx other than 408 and 429).</exception>
    /// <exception cref="ResendQuotaExceededException">Refused for the team's quota: nothing was sent; send it again after the pause.</exception>
    /// <exception cref="ResendUnavailableException">No definitive answer after the retries, or the circuit is open.</exception>
    public async Task<IReadOnlyList<string>> SendBatchAsync(ReadOnlyMemory<byte> emails, int count, string idempotencyKey, CancellationToken cancellationToken)
    {
        var sent = await PostAsync<BatchResponse>("emails/batch", emails.ToArray(), idempotencyKey, "batch", cancellationToken);
        var ids = sent?.Data?.Select(d => d.Id).OfType<string>().Where(id => id.Length > 0).ToList();
        return ids is not null && ids.Count == count
            ? ids
            : throw new JsonException($"Resend answered a batch of {count} without {count} ids.");
    }

    /// <summary>A batch's body: the emails as a JSON array, the bytes <see cref="SendBatchAsync"/> takes.</summary>
    public static byte[] BatchBody(IReadOnlyList<ResendEmail> emails) => JsonSerializer.SerializeToUtf8Bytes(emails);

    private async Task<T?> PostAsync<T>(string path, byte[] body, string idempotencyKey, string what, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative));
        request.Headers.Add("Idempotency-Key", idempotencyKey);

        // Bytes, not a stream: a retry sends the same content again.
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = JsonMediaType;

        using var response = await SendThroughPipelineAsync(request, what, cancellationToken);
        if (IsTransient(response))
        {
            metrics.Record(ResendMetrics.Unavailable);
            throw new ResendUnavailableException($"Resend {what}: answered {(int)response.StatusCode} after the retries.") { StatusCode = (int)response.StatusCode };
        }

        if (!response.IsSuccessStatusCode)
        {
            metrics.Record(ResendMetrics.Rejected);
            var error = await ResendErrorBody.ReadAsync(response, cancellationToken);
            throw new ResendException((int)response.StatusCode, error?.Name, $"Resend answered {(int)response.StatusCode} {error?.Name}: {error?.Message ?? response.ReasonPhrase}");
        }

        metrics.Record(ResendMetrics.Success);
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
    }

    // The retry strategy's rule (HttpClientResiliencePredicates): true here means the retries ran out on it.
    private static bool IsTransient(HttpResponseMessage response) =>
        (int)response.StatusCode is 408 or 429 or >= 500;

    private async Task<HttpResponseMessage> SendThroughPipelineAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (ResendQuotaExceededException)
        {
            metrics.Record(ResendMetrics.QuotaExceeded);
            throw;
        }
        catch (BrokenCircuitException e)
        {
            throw Unavailable(what, "the circuit is open after repeated failures, so nothing was sent", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw Unavailable(what, $"the last attempt got no answer within {e.Timeout}", e);
        }
        catch (HttpRequestException e)
        {
            throw Unavailable(what, $"unreachable ({e.HttpRequestError})", e);
        }
    }

    private ResendUnavailableException Unavailable(string what, string why, Exception cause)
    {
        metrics.Record(ResendMetrics.Unavailable);
        return new ResendUnavailableException($"Resend {what}: {why}.", cause);
    }

    private sealed record SendResponse([property: JsonPropertyName("id")] string? Id);

    private sealed record BatchResponse([property: JsonPropertyName("data")] IReadOnlyList<SendResponse>? Data);
}
