namespace OrdersMail.Integrations.AgentMail;

/// <summary>
/// AgentMail's definitive answer to a call: a 4xx other than 408 and 429, which retrying would not change.
/// Branch on <see cref="Code"/> (AgentMail's machine code), not on <see cref="Name"/> or the message.
/// </summary>
public class AgentMailException : Exception
{
    /// <summary>The code of a taken inbox username (HTTP 403).</summary>
    public const string ResourceTakenCode = "resource_taken";

    // AgentMail's 403s (and, for the organisation's limit and domain, 409s) about the key or the organisation;
    // message_rejected (a blocked recipient, an attachment) and resource_taken are the request's own.
    private static readonly HashSet<string> AccountForbiddenCodes = new(StringComparer.Ordinal)
    {
        "missing_permission", "forbidden", "permission_escalation", "limit_exceeded", "domain_not_verified",
    };

    /// <summary>Creates the exception for an error answer.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="name">AgentMail's error name (<c>ValidationError</c>, <c>IsTakenError</c>...), if the body had one.</param>
    /// <param name="code">AgentMail's error code (<c>validation_error</c>, <c>resource_taken</c>...), if the body had one.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="suggestions">Free alternatives AgentMail offered (on <c>resource_taken</c>).</param>
    public AgentMailException(int statusCode, string? name, string? code, string message, IReadOnlyList<string>? suggestions = null)
        : this(statusCode, name, code, message, null, suggestions)
    {
    }

    /// <summary>Creates the exception for an answer that could not be used, with what stopped it.</summary>
    protected AgentMailException(int statusCode, string? name, string? code, string message, Exception? innerException, IReadOnlyList<string>? suggestions = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Name = name;
        Code = code;
        Suggestions = suggestions ?? [];
    }

    /// <summary>The HTTP status AgentMail answered.</summary>
    public int StatusCode { get; }

    /// <summary>AgentMail's error name, e.g. <c>IsTakenError</c>.</summary>
    public string? Name { get; }

    /// <summary>AgentMail's error code, e.g. <c>resource_taken</c>.</summary>
    public string? Code { get; }

    /// <summary>Free alternatives AgentMail offered, e.g. usernames on <c>resource_taken</c>; empty otherwise.</summary>
    public IReadOnlyList<string> Suggestions { get; }

    /// <summary>True for AgentMail's 403 <c>resource_taken</c>: the inbox username is taken; see <see cref="Suggestions"/>.</summary>
    public bool IsTaken => StatusCode == 403 && Code == ResourceTakenCode;

    /// <summary>
    /// True when AgentMail refused for the account rather than the request, by its code (docs/agentmail.md §6): any 401
    /// (<c>missing_authorization</c>, <c>invalid_token_type</c>, <c>unknown_api_key</c>, <c>unauthorized</c>), or a 403 or
    /// 409 of the key's permission, the organisation's limits or its domain (AgentMail documents <c>limit_exceeded</c> and
    /// <c>domain_not_verified</c> as "403 or 409"). Every call meets the same answer until ops put the key right, and the
    /// same call then goes through, so callers wait instead of failing what they were doing. Only the codes AgentMail
    /// documents as the account's count: an unknown code might be the request's own fault, and taken for the account's,
    /// that one request would be waited on for good.
    /// </summary>
    public bool IsAccountRefusal =>
        StatusCode == 401 || (StatusCode is 403 or 409 && Code is { } code && AccountForbiddenCodes.Contains(code));
}

/// <summary>
/// AgentMail could not give a definitive answer: transient failures outlasted the retries, an attempt timed out, or
/// the circuit is open. The call may or may not have taken effect; repeat it later (creates are idempotent by
/// <c>client_id</c>, replies by their <c>Idempotency-Key</c>). <see cref="Exception.Message"/> and <see cref="Reason"/> say which.
/// </summary>
public sealed class AgentMailUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="reason"/>.</summary>
    public AgentMailUnavailableException(string message, AgentMailUnavailableReason reason, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    /// <summary>Why AgentMail was unavailable.</summary>
    public AgentMailUnavailableReason Reason { get; }

    /// <summary>The last transient status AgentMail answered, when <see cref="Reason"/> is <see cref="AgentMailUnavailableReason.TransientStatus"/>.</summary>
    public int? StatusCode { get; init; }
}

/// <summary>Why AgentMail could not be used for a call.</summary>
public enum AgentMailUnavailableReason
{
    /// <summary>It kept answering a transient status (408, 429, 5xx) until the retries ran out.</summary>
    TransientStatus,

    /// <summary>It could not be reached (connection refused or reset, DNS...) until the retries ran out.</summary>
    Unreachable,

    /// <summary>Its last attempt took longer than the attempt timeout.</summary>
    Timeout,

    /// <summary>The circuit is open after repeated failures: the call was not sent.</summary>
    CircuitOpen,
}
