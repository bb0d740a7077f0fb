using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// Holds a request's <c>Idempotency-Key</c> in flight for as long as the request runs, and answers 409
/// <c>concurrent_idempotent_requests</c> to a second request with the same key meanwhile. It runs before the
/// fault filter (see <see cref="ResendEndpoints.MapResend"/>), so that a request slowed by a latency or hang
/// fault counts as in flight, as a slow send would on the real service.
/// </summary>
public sealed class IdempotencyInFlightFilter(IdempotencyStore store) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;

        // Requests without a usable key are left to the key check and the handler, which answer them properly.
        var apiKey = ResendApiKey.Of(http);
        if (apiKey is null || !http.Request.Headers.TryGetValue(IdempotencyStore.Header, out var values) || !IdempotencyStore.IsValidKey(values.ToString()))
        {
            return await next(context);
        }

        var key = values.ToString();
        if (!store.TryBegin(apiKey, key))
        {
            return ResendError.Of(409, "concurrent_idempotent_requests", "Same idempotency key used while original request is still in progress.");
        }

        try
        {
            return await next(context);
        }
        finally
        {
            store.End(apiKey, key);
        }
    }
}
