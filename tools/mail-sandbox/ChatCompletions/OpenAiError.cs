namespace OrdersMail.MailSandbox.ChatCompletions;

/// <summary>OpenAI's error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public static class OpenAiError
{
    /// <summary>An error result in OpenAI's shape.</summary>
    public static IResult Of(int status, string type, string? code, string message) =>
        Results.Json(new { error = new { message, type, param = (string?)null, code } }, statusCode: status);

    /// <summary>OpenAI's generic error for a status (a fault rule's, or an upstream failure's).</summary>
    public static IResult ForStatus(int status) => status switch
    {
        401 => Of(status, "invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
        429 => Of(status, "requests", "rate_limit_exceeded", "Rate limit reached for requests."),
        < 500 => Of(status, "invalid_request_error", null, $"Request failed with status {status}."),
        _ => Of(status, "server_error", null, "The server had an error while processing your request. Sorry about that!"),
    };
}
