namespace OrdersMail.MailSandbox.Resend;

/// <summary>The caller's API key: Resend scopes rate limits and idempotency keys by it.</summary>
public static class ResendApiKey
{
    /// <summary>The key of <c>Authorization: Bearer &lt;key&gt;</c>, or null when there is none.</summary>
    public static string? Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var header = http.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : "";
        return key.Length > 0 ? key : null;
    }
}
