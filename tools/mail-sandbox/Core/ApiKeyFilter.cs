using Microsoft.Extensions.Options;

namespace OrdersMail.MailSandbox.Core;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c> as the provider checks it. Any key with the provider's prefix is
/// accepted (so a client set up for the real service works by changing only its base URL) unless a key is
/// configured, which makes the sandbox strict. <c>Bearer</c> is case-sensitive, as AgentMail documents.
/// </summary>
public sealed class ApiKeyFilter(string api, IOptions<SandboxOptions> options) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
        var (prefix, configured) = api == SandboxApi.AgentMail
            ? ("am_", options.Value.AgentMailApiKey)
            : ("re_", options.Value.ResendApiKey);

        if (string.IsNullOrEmpty(key))
        {
            return api == SandboxApi.AgentMail
                ? Results.Json(new AgentMailError("UnauthorizedError", "missing_authorization", "Missing Authorization header: send 'Authorization: Bearer am_...'."), SandboxJson.Options, statusCode: 401)
                : ResendError.Of(401, "missing_api_key", "Missing API key in the authorization header. Include the following header 'Authorization: Bearer YOUR_API_KEY' in the request.");
        }

        var valid = configured is null ? key.StartsWith(prefix, StringComparison.Ordinal) && key.Length > prefix.Length : key == configured;
        if (!valid)
        {
            return api == SandboxApi.AgentMail
                ? Results.Json(new AgentMailError("UnauthorizedError", "unknown_api_key", "Unknown API key."), SandboxJson.Options, statusCode: 401)
                : ResendError.Of(403, "invalid_api_key", "API key is invalid.");
        }

        return await next(context);
    }
}
