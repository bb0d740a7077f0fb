namespace OrdersMail.Contracts.Outbound;

/// <summary>The relay gave up on an outbox file; it moved to <c>failed/</c> with the reason beside it.</summary>
/// <param name="EmailId">The outbound email's id, when the file was readable enough to have one.</param>
/// <param name="OrderId">The order the email is about, if known.</param>
/// <param name="FileName">The outbox file's name under <c>failed/</c>.</param>
/// <param name="Reason">Why, in words a person can act on (an invalid field, a permanent provider refusal...).</param>
/// <param name="FailedAt">When the relay gave up.</param>
public sealed record OutboundEmailFailed(
    Guid? EmailId,
    Guid? OrderId,
    string FileName,
    string Reason,
    DateTimeOffset FailedAt);
