using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter.Secrets;

/// <summary>What the router reads from AgentMail (through the shared AgentMail client): webhook secrets, an inbox's order, a message.</summary>
public interface IAgentMailDirectory
{
    /// <summary>The secret of webhook <paramref name="webhookId"/> when it exists and is scoped to <paramref name="inboxId"/>; null otherwise.</summary>
    Task<string?> FindSecretAsync(string inboxId, string webhookId, CancellationToken cancellationToken);

    /// <summary>The id of the one webhook scoped to <paramref name="inboxId"/>, or null when there is none (or more than one).</summary>
    Task<string?> FindInboxWebhookAsync(string inboxId, CancellationToken cancellationToken);

    /// <summary>The inbox's <c>metadata.order_ref</c>; <see cref="InboxOrderRef.Missing"/> when AgentMail has no such inbox.</summary>
    Task<InboxOrderRef> GetOrderRefAsync(string inboxId, CancellationToken cancellationToken);

    /// <summary>
    /// One page of the mail the inbox received after <paramref name="after"/>, oldest first, without bodies, with the mail
    /// from senders AgentMail could not authenticate and the mail it took for spam only when <paramref name="include"/>
    /// names them; null when AgentMail has no such inbox.
    /// </summary>
    Task<MessagePage?> ListReceivedAsync(string inboxId, DateTimeOffset after, string? pageToken, ReceivedMailClasses include, CancellationToken cancellationToken);

    /// <summary>A received message's text and HTML bodies (and their new words), read back from AgentMail; null when it has no such message.</summary>
    Task<MessageBody?> GetMessageBodyAsync(string inboxId, string messageId, CancellationToken cancellationToken);
}

/// <summary>What AgentMail says about an inbox's order.</summary>
/// <param name="InboxExists">Whether AgentMail has the inbox.</param>
/// <param name="OrderRef">Its <c>metadata.order_ref</c>, if set.</param>
public sealed record InboxOrderRef(bool InboxExists, string? OrderRef)
{
    /// <summary>AgentMail has no such inbox.</summary>
    public static readonly InboxOrderRef Missing = new(false, null);
}

/// <summary>A message's bodies as AgentMail stores them.</summary>
/// <param name="Text">The plain text (or the extracted text), if any.</param>
/// <param name="Html">The HTML, if any.</param>
/// <param name="ExtractedText">The new text of a reply without its quoted history (<c>extracted_text</c>), if AgentMail found one.</param>
/// <param name="ExtractedHtml">The same of the HTML (<c>extracted_html</c>), if AgentMail found one.</param>
public sealed record MessageBody(string? Text, string? Html, string? ExtractedText, string? ExtractedHtml)
{
    /// <summary>No body at all: a webhook or a listing that left it out.</summary>
    public static readonly MessageBody None = new(null, null, null, null);
}
