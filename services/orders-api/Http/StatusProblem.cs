using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace OrdersMail.OrdersApi.Http;

/// <summary>A problem status known when the code is compiled, so a <c>Results&lt;...&gt;</c> union can name it.</summary>
public interface IProblemStatus
{
    /// <summary>The HTTP status.</summary>
    static abstract int Status { get; }
}

/// <summary>
/// A problem+json answer whose status is part of its type. <c>TypedResults.NotFound(problem)</c> and its kin write
/// <c>application/json</c>; these write <c>application/problem+json</c> like every other error of the API, and still
/// tell the OpenAPI document which status they answer.
/// </summary>
/// <typeparam name="TSelf">The status's own type.</typeparam>
public abstract class StatusProblem<TSelf> : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
    where TSelf : StatusProblem<TSelf>, IProblemStatus
{
    private readonly ProblemHttpResult _problem;

    /// <summary>A problem with <paramref name="title"/> and <paramref name="detail"/>.</summary>
    protected StatusProblem(string title, string? detail, IDictionary<string, object?>? extensions = null) =>
        _problem = TypedResults.Problem(detail, statusCode: TSelf.Status, title: title, extensions: extensions);

    /// <summary>The problem as written.</summary>
    public ProblemDetails ProblemDetails => _problem.ProblemDetails;

    /// <inheritdoc />
    public int? StatusCode => TSelf.Status;

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(TSelf.Status, typeof(ProblemDetails), ["application/problem+json"]));
    }

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        AddHeaders(httpContext.Response.Headers);
        return _problem.ExecuteAsync(httpContext);
    }

    /// <summary>Adds the headers the problem is answered with (a 429's <c>Retry-After</c>); none by default.</summary>
    protected virtual void AddHeaders(IHeaderDictionary headers)
    {
    }
}

/// <summary>404: no such thing, or not the caller's (the two read the same).</summary>
public sealed class NotFoundProblem(string title, string? detail = null) : StatusProblem<NotFoundProblem>(title, detail), IProblemStatus
{
    static int IProblemStatus.Status => StatusCodes.Status404NotFound;
}

/// <summary>409: the request contradicts the current state.</summary>
public sealed class ConflictProblem(string title, string detail) : StatusProblem<ConflictProblem>(title, detail), IProblemStatus
{
    static int IProblemStatus.Status => StatusCodes.Status409Conflict;
}

/// <summary>415: the body is not declared as JSON.</summary>
public sealed class UnsupportedMediaTypeProblem() : StatusProblem<UnsupportedMediaTypeProblem>("The body is not JSON.", NotJson), IProblemStatus
{
    /// <summary>What is wrong, in the words routing's own 415 is given too (<see cref="HttpModule"/>).</summary>
    public const string NotJson = "The body must be JSON (Content-Type: application/json).";

    static int IProblemStatus.Status => StatusCodes.Status415UnsupportedMediaType;
}

/// <summary>413: the body is over <see cref="HttpOptions.MaxRequestBodyBytes"/>; the problem names the limit.</summary>
/// <param name="maxBytes">The limit.</param>
public sealed class PayloadTooLargeProblem(long maxBytes) : StatusProblem<PayloadTooLargeProblem>(
    "The request body is too large.",
    $"The body may be at most {maxBytes} bytes ({HttpOptions.Section}:MaxRequestBodyBytes).",
    new Dictionary<string, object?> { ["max_body_bytes"] = maxBytes }), IProblemStatus
{
    static int IProblemStatus.Status => StatusCodes.Status413PayloadTooLarge;
}
