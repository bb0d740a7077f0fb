namespace OrdersMail.Integrations.Resend;

/// <summary>
/// Resend's definitive answer to a send: a 4xx other than 408 and 429, which retrying as is would not change
/// (docs/resend.md §4). Branch on <see cref="Name"/> (<c>validation_error</c>, <c>invalid_idempotent_request</c>...).
/// </summary>
public sealed class ResendException : Exception
{
    /// <summary>Creates the exception for an error answer.</summary>
    public ResendException(int statusCode, string? name, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Name = name;
    }

    /// <summary>The HTTP status Resend answered.</summary>
    public int StatusCode { get; }

    /// <summary>Resend's error name, when the body had one.</summary>
    public string? Name { get; }
}
