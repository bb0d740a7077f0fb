using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrdersMail.BuildingBlocks.Http;

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>
/// Answers 503 with <c>Retry-After</c>, not 500, when a request failed because the mail outbox could not take a file
/// (<see cref="MailOutboxUnavailableException"/>: its disk full, read-only or gone). Nothing was written, so the request
/// can be sent again once the outbox is back; the log says why, the answer does not show the server's paths.
/// </summary>
internal sealed partial class MailOutboxUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<MailOutboxUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    /// <summary>Seconds a client waits before sending the request again.</summary>
    internal const int RetryAfterSeconds = 30;

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not MailOutboxUnavailableException)
        {
            return false;
        }

        LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
        return await RetryLaterProblem.WriteAsync(
            problems,
            httpContext,
            exception,
            RetryAfterSeconds,
            "The mail outbox cannot take files",
            $"Nothing was written. Send the request again after {RetryAfterSeconds} seconds, once the outbox's disk is back.");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} answered 503: the mail outbox cannot take files")]
    private static partial void LogUnavailable(ILogger logger, string method, PathString path, Exception exception);
}
