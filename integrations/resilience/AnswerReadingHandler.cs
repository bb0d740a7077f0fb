namespace OrdersMail.Integrations.Resilience;

/// <summary>
/// Reads each attempt's whole answer inside the attempt, so the pipeline's attempt timeout bounds the body as well as
/// the headers. HttpClient reads the body only after its handlers have returned, under its own timeout, which the
/// provider clients turn off (the pipeline bounds each attempt and the retries): a provider, or a proxy in front of it,
/// that sent the headers and then stalled held the call, and whatever waited on it, for good. Added inside the
/// resilience handler, a stalled body is an attempt that timed out, retried like one.
/// </summary>
public sealed class AnswerReadingHandler : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
