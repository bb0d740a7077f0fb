namespace OrdersMail.MailSandbox.Core;

/// <summary>Clerk's error body: <c>{"errors":[{"message","long_message","code"}]}</c>.</summary>
public static class ClerkError
{
    /// <summary>An error result with one error in Clerk's shape.</summary>
    public static IResult Of(int status, string code, string message) =>
        Results.Json(new { errors = new[] { new { message, long_message = message, code } } }, SandboxJson.Options, statusCode: status);

    /// <summary>Clerk's generic error for a status.</summary>
    public static IResult ForStatus(int status) => Of(status, status == 429 ? "too_many_requests" : "internal_clerk_error", $"Request failed with status {status}");
}
