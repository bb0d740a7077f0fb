namespace OrdersMail.Contracts.Outbound;

/// <summary>
/// An email was written to the outbox directory (atomically: it is complete once this is published)
/// and waits for the relay to send it.
/// </summary>
/// <param name="EmailId">The outbound email's id; stable across the file's life (pending, sent, failed) and the idempotency key of its send.</param>
/// <param name="OrderId">The order the email is about, if any.</param>
/// <param name="Kind">What the email is: <c>order-confirmation</c>, <c>agent-reply</c>, <c>receipt</c>...</param>
/// <param name="Provider">Who will send it: <see cref="EmailProvider.AgentMail"/> for replies from the customer's inbox, <see cref="EmailProvider.Resend"/> for other mail.</param>
/// <param name="To">The recipients.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="FileName">The outbox file's name (timestamp-prefixed, so files sort by age).</param>
/// <param name="QueuedAt">When the file was written.</param>
/// <param name="InternetMessageId">
/// The RFC 5322 Message-ID (in <c>&lt;...&gt;</c> form) the relay gives the email, when it chooses one (Resend sends);
/// null when the provider assigns it (AgentMail replies: see <see cref="OutboundEmailSent.InternetMessageId"/>).
/// A customer's reply names it in In-Reply-To, which is how the reply finds its order.
/// </param>
/// <param name="SentAgainOf">The failed email this one is a copy of, when ops sent that one again; null otherwise.</param>
public sealed record OutboundEmailQueued(
    Guid EmailId,
    Guid? OrderId,
    string Kind,
    EmailProvider Provider,
    IReadOnlyList<string> To,
    string Subject,
    string FileName,
    DateTimeOffset QueuedAt,
    string? InternetMessageId = null,
    Guid? SentAgainOf = null);
