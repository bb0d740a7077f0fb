using System.Net.Http.Headers;

namespace OrdersMail.Testing.Http;

/// <summary>Rewrites the sandbox's <c>Retry-After: &lt;seconds&gt;</c> into the HTTP-date form the header may also take.</summary>
public sealed class RetryAfterAsDate : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(DateTimeOffset.UtcNow + delta);
        }

        return response;
    }
}
