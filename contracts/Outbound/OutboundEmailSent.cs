namespace OrdersMail.Contracts.Outbound;

/// <summary>The relay handed an outbox file to its provider, which accepted it; the file moved to <c>sent/</c>.</summary>
/// <param name="EmailId">The outbound email's id.</param>
/// <param name="OrderId">The order the email is about, if any.</param>
/// <param name="Provider">The provider that accepted it.</param>
/// <param name="ProviderMessageId">The provider's id for the email (Resend's email id, AgentMail's message id); delivery webhooks name it.</param>
/// <param name="SentAt">When the provider accepted it.</param>
/// <param name="InternetMessageId">The email's RFC 5322 Message-ID (in <c>&lt;...&gt;</c> form) as sent, when known.</param>
public sealed record OutboundEmailSent(
    Guid EmailId,
    Guid? OrderId,
    EmailProvider Provider,
    string ProviderMessageId,
    DateTimeOffset SentAt,
    string? InternetMessageId = null);
