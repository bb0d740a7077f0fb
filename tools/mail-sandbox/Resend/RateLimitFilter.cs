using System.Globalization;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// Applies <see cref="RateLimiter"/> to every Resend request that passed the key check: the IETF draft
/// <c>ratelimit-*</c> headers on each response, and 429 <c>rate_limit_exceeded</c> with <c>retry-after</c> when
/// the caller's bucket is empty.
/// </summary>
public sealed class RateLimitFilter(RateLimiter limiter) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var decision = limiter.Take(ResendApiKey.Of(http) ?? "");

        var headers = http.Response.Headers;
        headers["ratelimit-limit"] = Text(decision.Limit);
        headers["ratelimit-remaining"] = Text(decision.Remaining);
        headers["ratelimit-reset"] = Text(decision.ResetSeconds);
        headers["ratelimit-policy"] = $"{Text(decision.Limit)};w=1";
        if (decision.Allowed)
        {
            return await next(context);
        }

        headers.RetryAfter = Text(decision.RetryAfterSeconds);
        return ResendError.Of(429, "rate_limit_exceeded", $"Too many requests. You can only make {Text(decision.Limit)} requests per second. See rate limit response headers for more information.");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
