using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace OrdersMail.BuildingBlocks.Http;

/// <summary>
/// The 503 a request answers when something it needs (the database, the mail outbox) cannot take it now and nothing
/// was done: the status, <c>Retry-After</c> in seconds, and a problem saying what is away and when to send the request
/// again. One writer, so every exception handler that answers "later" answers it the same way.
/// </summary>
internal static class RetryLaterProblem
{
    /// <summary>Writes the answer; false when no problem writer could write it (the status and header stand).</summary>
    public static ValueTask<bool> WriteAsync(
        IProblemDetailsService problems, HttpContext httpContext, Exception exception, int retryAfterSeconds, string title, string detail)
    {
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = title,
                Detail = detail,
            },
        });
    }
}
