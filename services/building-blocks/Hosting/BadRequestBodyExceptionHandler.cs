using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace OrdersMail.BuildingBlocks.Hosting;

/// <summary>
/// Answers a request whose body Kestrel could not read (a chunk size that is not hex, a body over the route's limit, one
/// that came too slowly) with the status Kestrel gives it and a problem saying what is wrong, instead of the 500 an
/// unhandled exception gets: the body is the client's mistake, not the service's. Kestrel throws
/// <see cref="BadHttpRequestException"/> for these while an endpoint reads the body, after routing, so it reaches the
/// exception handler; a malformed request line or headers are refused by Kestrel itself before any of this runs.
/// </summary>
internal sealed partial class BadRequestBodyExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestBodyExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        LogRefused(logger, httpContext.Request.Method, httpContext.Request.Path, bad.StatusCode, bad.Message);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "The request body is too large",
                    StatusCodes.Status408RequestTimeout => "The request body came too slowly",
                    _ => "The request body could not be read",
                },
                Detail = bad.Message,
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} answered {Status}: its body could not be read ({Reason})")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, int status, string reason);
}
