using System.Text.Json;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter.Secrets;

/// <summary>
/// The router's reads of AgentMail, through the shared client (integrations/agentmail). AgentMail answers for an inbox
/// named in any case (an address), but the router keys its secrets, lookups and routing by the inbox id as AgentMail
/// spells it: a webhook is this inbox's only when its scope names the inbox exactly so, and an event naming another
/// spelling (anyone can send one; reply addresses are public) finds no webhook, is refused and stores nothing.
/// </summary>
public sealed class AgentMailDirectory(AgentMailClient client) : IAgentMailDirectory
{
    /// <inheritdoc />
    public async Task<string?> FindSecretAsync(string inboxId, string webhookId, CancellationToken cancellationToken)
    {
        // The secret is trusted for this inbox only if the webhook is scoped to it, as AgentMail stores it now.
        var webhook = await client.GetWebhookAsync(webhookId, cancellationToken);
        if (webhook is null || !webhook.InboxIds.Contains(inboxId, StringComparer.Ordinal))
        {
            return null;
        }

        return (await client.GetWebhookSecretAsync(webhookId, cancellationToken))?.Reveal();
    }

    /// <inheritdoc />
    public async Task<string?> FindInboxWebhookAsync(string inboxId, CancellationToken cancellationToken)
    {
        var scoped = (await client.ListInboxWebhooksAsync(inboxId, cancellationToken) ?? [])
            .Where(w => w.Enabled && w.InboxIds.Contains(inboxId, StringComparer.Ordinal))
            .ToList();
        return scoped.Count == 1 ? scoped[0].WebhookId : null;
    }

    /// <inheritdoc />
    public async Task<InboxOrderRef> GetOrderRefAsync(string inboxId, CancellationToken cancellationToken)
    {
        var inbox = await client.GetInboxAsync(inboxId, cancellationToken);
        if (inbox is null)
        {
            return InboxOrderRef.Missing;
        }

        var orderRef = inbox.Metadata is { } metadata && metadata.TryGetValue("order_ref", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        return new InboxOrderRef(true, orderRef);
    }

    /// <inheritdoc />
    public Task<MessagePage?> ListReceivedAsync(string inboxId, DateTimeOffset after, string? pageToken, ReceivedMailClasses include, CancellationToken cancellationToken) =>
        client.ListReceivedMessagesAsync(inboxId, after, pageToken, include, cancellationToken);

    /// <inheritdoc />
    public async Task<MessageBody?> GetMessageBodyAsync(string inboxId, string messageId, CancellationToken cancellationToken) =>
        await client.GetMessageAsync(inboxId, messageId, cancellationToken) is { } message
            ? new MessageBody(message.Text ?? message.ExtractedText, message.Html, message.ExtractedText, message.ExtractedHtml)
            : null;
}
