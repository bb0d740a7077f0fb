using System.Text.Json.Serialization;

namespace OrdersMail.MailSandbox.Core;

/// <summary>Resend's error body, <c>{statusCode, message, name}</c>: <c>statusCode</c> camelCase, <c>name</c> the snake_case code.</summary>
/// <param name="StatusCode">The HTTP status again.</param>
/// <param name="Message">What is wrong, for a person.</param>
/// <param name="Name">The code clients branch on (<c>validation_error</c>, <c>rate_limit_exceeded</c>...).</param>
public sealed record ResendError(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("name")] string Name)
{
    /// <summary>An error result with this body.</summary>
    public static IResult Of(int status, string name, string message) => Results.Json(new ResendError(status, message, name), SandboxJson.Options, statusCode: status);

    /// <summary>Resend's generic error for a status (429, 5xx...), or the error <paramref name="name"/> under that status.</summary>
    public static IResult ForStatus(int status, string? name = null) => name switch
    {
        null => Generic(status),
        "daily_quota_exceeded" => Of(status, name, "You have reached your daily email sending quota."),
        "monthly_quota_exceeded" => Of(status, name, "You have reached your monthly email sending quota."),
        "missing_api_key" => Of(status, name, "Missing API key in the authorization header."),
        "invalid_api_key" => Of(status, name, "API key is invalid."),
        _ => Of(status, name, $"Resend answered {name}."),
    };

    private static IResult Generic(int status) => status switch
    {
        401 => Of(401, "missing_api_key", "Missing API key in the authorization header."),
        403 => Of(403, "invalid_api_key", "API key is invalid."),
        404 => Of(404, "not_found", "The requested endpoint does not exist."),
        429 => Of(429, "rate_limit_exceeded", "Too many requests. You can only make 5 requests per second."),
        503 => Of(503, "service_unavailable", "Service unavailable."),
        >= 500 => Of(status, "internal_server_error", "An unexpected error occurred."),
        _ => Of(status, "application_error", "Something went wrong."),
    };
}
