namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>
/// The typed client of the AgentMail calls inbox-provisioner makes, every path under <c>{BaseUrl}/v0/</c>. Requests
/// go through the resilience handler (retries, circuit breaker, attempt timeout), so a method either returns
/// AgentMail's answer, throws <see cref="AgentMailException"/> for a definitive refusal, or throws
/// <see cref="AgentMailUnavailableException"/> when no answer could be had. Register it with
/// <see cref="AgentMailRegistration.AddAgentMailClient"/>.
/// </summary>
public sealed partial class AgentMailClient(HttpClient http)
{
    /// <summary>Creates an inbox, or returns the one its <see cref="CreateInbox.ClientId"/> already created.</summary>
    /// <exception cref="AgentMailException">Refused; <see cref="AgentMailException.IsTaken"/> when the username is taken.</exception>
    public async Task<AgentMailInbox> CreateInboxAsync(CreateInbox request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await SendAsync(HttpMethod.Post, "v0/inboxes", AgentMailOperations.CreateInbox, CreateInboxBody.Of(request), cancellationToken);
        return await ReadAsync<AgentMailInbox>(response, AgentMailOperations.CreateInbox, cancellationToken);
    }

    /// <summary>The inbox with id (address) <paramref name="inboxId"/>, or null when there is none.</summary>
    public async Task<AgentMailInbox?> GetInboxAsync(string inboxId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, InboxPath(inboxId), AgentMailOperations.GetInbox, null, cancellationToken);
        return await ReadUnlessNotFoundAsync<AgentMailInbox>(response, AgentMailOperations.GetInbox, cancellationToken);
    }

    /// <summary>
    /// Merges <paramref name="metadata"/> into the inbox's: keys given are set, keys omitted kept, a key given a null
    /// value removed. Returns the inbox as it now is.
    /// </summary>
    public async Task<AgentMailInbox> UpdateInboxMetadataAsync(string inboxId, IReadOnlyDictionary<string, string?> metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        using var response = await SendAsync(HttpMethod.Patch, InboxPath(inboxId), AgentMailOperations.UpdateInbox, new UpdateInboxMetadataBody(metadata), cancellationToken);
        return await ReadAsync<AgentMailInbox>(response, AgentMailOperations.UpdateInbox, cancellationToken);
    }

    /// <summary>
    /// Deletes the inbox; false when there was none (which includes a retried delete whose first attempt succeeded
    /// unanswered).
    /// </summary>
    public async Task<bool> DeleteInboxAsync(string inboxId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, InboxPath(inboxId), AgentMailOperations.DeleteInbox, null, cancellationToken);
        return await DeletedAsync(response, AgentMailOperations.DeleteInbox, cancellationToken);
    }

    /// <summary>Creates a webhook scoped to the inbox alone, or returns the one its <see cref="CreateInboxWebhook.ClientId"/> already created.</summary>
    public async Task<AgentMailWebhook> CreateInboxWebhookAsync(string inboxId, CreateInboxWebhook request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new CreateInboxWebhookBody(request.Url, request.EventTypes, request.ClientId);
        using var response = await SendAsync(HttpMethod.Post, $"{InboxPath(inboxId)}/webhooks", AgentMailOperations.CreateInboxWebhook, body, cancellationToken);
        return (await ReadAsync<WebhookResponse>(response, AgentMailOperations.CreateInboxWebhook, cancellationToken)).ToWebhook();
    }

    /// <summary>
    /// The webhook, read at org level (so one stored with another scope than asked for is still seen as it is), or
    /// null when there is none.
    /// </summary>
    public async Task<AgentMailWebhook?> GetWebhookAsync(string webhookId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, WebhookPath(webhookId), AgentMailOperations.GetWebhook, null, cancellationToken);
        return (await ReadUnlessNotFoundAsync<WebhookResponse>(response, AgentMailOperations.GetWebhook, cancellationToken))?.ToWebhook();
    }

    /// <summary>Replaces the webhook's event types with <paramref name="eventTypes"/> (at least one); returns the webhook as it now is.</summary>
    public async Task<AgentMailWebhook> UpdateWebhookEventTypesAsync(string webhookId, IReadOnlyList<string> eventTypes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        using var response = await SendAsync(HttpMethod.Patch, WebhookPath(webhookId), AgentMailOperations.UpdateWebhook, new UpdateWebhookEventTypesBody(eventTypes), cancellationToken);
        return (await ReadAsync<WebhookResponse>(response, AgentMailOperations.UpdateWebhook, cancellationToken)).ToWebhook();
    }

    /// <summary>Deletes the webhook at org level, whatever its scope; false when there was none.</summary>
    public async Task<bool> DeleteWebhookAsync(string webhookId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, WebhookPath(webhookId), AgentMailOperations.DeleteWebhook, null, cancellationToken);
        return await DeletedAsync(response, AgentMailOperations.DeleteWebhook, cancellationToken);
    }

    /// <summary>Every webhook of the organisation, all pages read, newest first.</summary>
    public async Task<IReadOnlyList<AgentMailWebhook>> ListWebhooksAsync(CancellationToken cancellationToken)
    {
        var webhooks = new List<AgentMailWebhook>();
        string? pageToken = null;
        do
        {
            var path = pageToken is null ? $"v0/webhooks?limit={PageSize}" : $"v0/webhooks?limit={PageSize}&page_token={Uri.EscapeDataString(pageToken)}";
            using var response = await SendAsync(HttpMethod.Get, path, AgentMailOperations.ListWebhooks, null, cancellationToken);
            var page = await ReadAsync<WebhookPage>(response, AgentMailOperations.ListWebhooks, cancellationToken);
            webhooks.AddRange(page.Webhooks?.Select(w => w.ToWebhook()) ?? []);
            pageToken = page.NextPageToken;
        }
        while (pageToken is not null);

        return webhooks;
    }
}
