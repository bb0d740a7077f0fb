using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail;

/// <summary>
/// The 400 AgentMail answers when a request body fails its schema: only <c>name</c> and zod's <c>errors</c>, no
/// <c>code</c> or <c>message</c>, exactly as the live API answered a webhook create without <c>event_types</c>
/// (docs/agentmail.md §3). Rules checked against stored state (a taken name, an unknown inbox) answer
/// <see cref="AgentMailError"/> instead.
/// </summary>
public sealed record SchemaValidationError
{
    /// <summary>Always <c>ValidationError</c>.</summary>
    public string Name { get; } = "ValidationError";

    /// <summary>Every issue found, not just the first.</summary>
    public required IReadOnlyList<SchemaIssue> Errors { get; init; }

    /// <summary>The 400 result for <paramref name="issues"/>.</summary>
    public static IResult Of(IReadOnlyList<SchemaIssue> issues) =>
        Results.Json(new SchemaValidationError { Errors = issues }, SandboxJson.Options, statusCode: StatusCodes.Status400BadRequest);
}
