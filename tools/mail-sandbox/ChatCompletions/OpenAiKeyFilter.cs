namespace OrdersMail.MailSandbox.ChatCompletions;

/// <summary>
/// <c>Authorization: Bearer sk-...</c> as OpenAI checks it: any key with OpenAI's prefix is accepted, so a client set
/// up for the real API works against the sandbox by changing only its base URL.
/// </summary>
public sealed class OpenAiKeyFilter : IEndpointFilter
{
    private const string Prefix = "sk-";

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : "";
        if (key.Length == 0)
        {
            return OpenAiError.Of(401, "invalid_request_error", null, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
        }

        return key.StartsWith(Prefix, StringComparison.Ordinal) && key.Length > Prefix.Length
            ? await next(context)
            : OpenAiError.ForStatus(401);
    }
}
