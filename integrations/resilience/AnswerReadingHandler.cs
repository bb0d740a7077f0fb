namespace OrdersMail.Integrations.Resilience;

/// <summary>
/// Reads each attempt's whole answer inside the attempt, so the pipeline's attempt timeout bounds the body as well as
/// the headers. HttpClient reads the body only after its handlers have returned, under its own timeout, which the
/// provider clients turn off (the pipeline bounds each attempt and the retries): a provider, or a proxy in front of it,
/// that sent the headers and then stalled held the call, and whatever waited on it, for good. Added inside the
/// resilience handler, a stalled body is an attempt that timed out, retried like one. A request that names its
/// <see cref="MaxAnswerBytes"/> has its answer read up to that many bytes: a longer one is an
/// <see cref="AnswerTooLargeException"/>, which the pipeline does not retry (the same request would get the same answer).
/// </summary>
public sealed class AnswerReadingHandler : DelegatingHandler
{
    /// <summary>The most bytes of the answer the request's caller will hold; unbounded when not set.</summary>
    public static readonly HttpRequestOptionsKey<long> MaxAnswerBytes = new("ordersmail.max-answer-bytes");

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            if (request.Options.TryGetValue(MaxAnswerBytes, out var maxBytes))
            {
                await LoadBoundedAsync(response, maxBytes, cancellationToken);
            }
            else
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
            }

            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    // HttpClient refuses a Content-Length past the bound unread and stops reading a body without one at the bound.
    private static async Task LoadBoundedAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            await response.Content.LoadIntoBufferAsync(maxBytes, cancellationToken);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            throw new AnswerTooLargeException((int)response.StatusCode, maxBytes, e);
        }
    }
}
