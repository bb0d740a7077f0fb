using System.Text.Json.Serialization;

namespace OrdersMail.MailSandbox.Core;

/// <summary>
/// AgentMail's error body, <c>{name, code, message, ...}</c>, with the status codes and names of its API reference.
/// Clients branch on <see cref="Code"/>.
/// </summary>
/// <param name="Name">The SDK's error name (<c>ValidationError</c>, <c>NotFoundError</c>, <c>IsTakenError</c>...).</param>
/// <param name="Code">The machine code (<c>validation_error</c>, <c>not_found</c>, <c>resource_taken</c>...).</param>
/// <param name="Message">What is wrong, for a person.</param>
public sealed record AgentMailError(string Name, string? Code, string Message)
{
    /// <summary>Zod-style details of a validation error: <c>[{path, message, code}]</c>.</summary>
    public IReadOnlyList<ValidationIssue>? Errors { get; init; }

    /// <summary>Usernames that are free, on <c>resource_taken</c>.</summary>
    public IReadOnlyList<string>? Suggestions { get; init; }

    /// <summary>400 <c>ValidationError</c> with one issue per bad field.</summary>
    public static IResult Validation(string message, params ValidationIssue[] issues) =>
        Results.Json(new AgentMailError("ValidationError", "validation_error", message) { Errors = issues }, SandboxJson.Options, statusCode: 400);

    /// <summary>404 <c>NotFoundError</c>, e.g. "Inbox not found".</summary>
    public static IResult NotFound(string message) => Results.Json(new AgentMailError("NotFoundError", "not_found", message), SandboxJson.Options, statusCode: 404);

    /// <summary>409 <c>ConflictError</c>.</summary>
    public static IResult Conflict(string message) => Results.Json(new AgentMailError("ConflictError", "conflict", message), SandboxJson.Options, statusCode: 409);

    /// <summary>Any status with AgentMail's generic body for it (401, 429, 5xx...), or that body with the error <paramref name="code"/>.</summary>
    public static IResult ForStatus(int status, string? message = null, string? code = null)
    {
        var (name, usual, text) = status switch
        {
            401 => ("UnauthorizedError", "unauthorized", "Unauthorized"),
            403 => ("ForbiddenError", "forbidden", "Forbidden"),
            404 => ("NotFoundError", "not_found", "Not found"),
            409 => ("ConflictError", "conflict", "Conflict"),
            422 => ("UnprocessableError", "unprocessable", "Unprocessable"),
            429 => ("TooManyRequestsError", "rate_limit_exceeded", "Rate limit exceeded"),
            503 => ("ServiceUnavailableError", "service_unavailable", "Service unavailable"),
            >= 500 => ("InternalServerError", "internal_error", "Internal server error"),
            _ => ("ValidationError", "validation_error", "Bad request"),
        };
        return Results.Json(new AgentMailError(name, code ?? usual, message ?? text), SandboxJson.Options, statusCode: status);
    }
}

/// <summary>One issue of a <c>ValidationError</c>.</summary>
/// <param name="Path">Where in the body, e.g. <c>["event_types"]</c>.</param>
/// <param name="Message">What is wrong with it.</param>
/// <param name="Code">The zod-style code (<c>invalid_type</c>, <c>too_big</c>, <c>invalid_string</c>...).</param>
public sealed record ValidationIssue(IReadOnlyList<object> Path, string Message, string Code = "custom");
