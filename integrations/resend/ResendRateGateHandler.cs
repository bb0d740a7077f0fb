using System.Net;

namespace OrdersMail.Integrations.Resend;

/// <summary>
/// Tells the process's <see cref="ResendRateGate"/> what each attempt's answer says about the limit. Each attempt waited
/// for its turn before (<see cref="ResendPacing"/>, in the pipeline above, outside the attempt's timeout). A 429 naming
/// a quota (<see cref="ResendQuota"/>) is raised here, below the retry, as a <see cref="ResendQuotaExceededException"/>,
/// which neither the retry nor the breaker counts: left an answer, the retry would take it for the rate limit and ask
/// again within seconds. An accepted call tells the quota it is back.
/// </summary>
public sealed class ResendRateGateHandler(ResendRateGate gate, ResendQuota quota) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests
            && await ResendErrorBody.ReadAsync(response, cancellationToken) is { Name: { } name } error
            && ResendErrorBody.QuotaNames.Contains(name))
        {
            var retryAfter = response.Headers.RetryAfter;
            response.Dispose();
            throw quota.Exceeded(name, error.Message, retryAfter);
        }

        if (response.IsSuccessStatusCode)
        {
            quota.Accepted();
        }

        gate.Observe(response);
        return response;
    }
}
