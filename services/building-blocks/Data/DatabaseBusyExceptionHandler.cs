using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrdersMail.BuildingBlocks.Http;

namespace OrdersMail.BuildingBlocks.Data;

/// <summary>
/// Answers 503 with <c>Retry-After</c>, not 500, when a request failed because the database could not take it now: no
/// pooled connection came free within the timeout, the server refused one (too many clients, starting, shutting down),
/// a connection broke, or a serialization failure or deadlock ended the transaction (<see cref="TransientDatabaseFailure"/>).
/// The request's transaction did not commit, or its outcome is unknown, so the client sends it again (with
/// the same <c>Idempotency-Key</c> where the endpoint takes one). Every other exception stays a 500: a defect.
/// </summary>
internal sealed partial class DatabaseBusyExceptionHandler(IProblemDetailsService problems, ILogger<DatabaseBusyExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client waits before sending the request again.</summary>
    internal const int RetryAfterSeconds = 2;

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!TransientDatabaseFailure.Is(exception))
        {
            return false;
        }

        LogBusy(logger, httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        return await RetryLaterProblem.WriteAsync(
            problems,
            httpContext,
            exception,
            RetryAfterSeconds,
            "The database is busy",
            $"The request could not be completed now. Send it again after {RetryAfterSeconds} seconds.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the database is busy ({Reason})")]
    private static partial void LogBusy(ILogger logger, string method, PathString path, string reason);
}
