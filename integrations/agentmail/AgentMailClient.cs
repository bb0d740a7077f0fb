using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OrdersMail.Integrations.Resilience;

namespace OrdersMail.Integrations.AgentMail;

/// <summary>
/// The typed client of the AgentMail calls OrdersMail makes, every path under <c>{BaseUrl}/v0/</c>. Requests go
/// through the resilience handler (retries, circuit breaker, attempt timeout), so a method either returns AgentMail's
/// answer, throws <see cref="AgentMailException"/> for a definitive refusal (or an answer past
/// <see cref="MaxAnswerBytes"/>: <see cref="AgentMailAnswerTooLargeException"/>), or throws
/// <see cref="AgentMailUnavailableException"/> when no answer could be had. Register it with
/// <see cref="AgentMailRegistration.AddAgentMailClient"/>.
/// </summary>
public sealed class AgentMailClient(HttpClient http)
{
    /// <summary>The header that makes a send or reply idempotent.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// The most bytes of an answer the client reads (<see cref="AgentMailAnswerTooLargeException"/> past it). A message
    /// read back is one whose webhook left its body out, over 1 MB, and carries its text, HTML and their extracted forms:
    /// 4 MB holds any such mail a person writes, and stops mail of many megabytes (anyone can send one to a reply
    /// address) before the router holds it whole, once for each email of its batches.
    /// </summary>
    public const long MaxAnswerBytes = 4 * 1024 * 1024;

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

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
    /// One page of the organisation's inboxes (<c>GET /v0/inboxes</c>, up to 100, newest first); <paramref name="pageToken"/>
    /// is the previous page's <see cref="InboxPage.NextPageToken"/>, null for the first.
    /// </summary>
    public async Task<InboxPage> ListInboxesAsync(string? pageToken, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, PagePath("v0/inboxes", pageToken), AgentMailOperations.ListInboxes, null, cancellationToken);
        var page = await ReadAsync<InboxListResponse>(response, AgentMailOperations.ListInboxes, cancellationToken);
        return new InboxPage(page.Inboxes, page.NextPageToken);
    }

    /// <summary>
    /// Merges <paramref name="metadata"/> into the inbox's: keys given are set, keys omitted kept, a key given a null
    /// value removed; and sets its display name to <paramref name="displayName"/> unless that is null (kept). Returns the
    /// inbox as it now is.
    /// </summary>
    public async Task<AgentMailInbox> UpdateInboxAsync(string inboxId, IReadOnlyDictionary<string, string?> metadata, string? displayName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        using var response = await SendAsync(HttpMethod.Patch, InboxPath(inboxId), AgentMailOperations.UpdateInbox, new UpdateInboxBody(displayName, metadata), cancellationToken);
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
    /// The webhooks scoped to the inbox (<c>GET /v0/inboxes/{inbox_id}/webhooks</c>), first page only: an inbox has one
    /// webhook by design, so a page of 100 holds every one that matters. Null when there is no such inbox.
    /// </summary>
    public async Task<IReadOnlyList<AgentMailWebhook>?> ListInboxWebhooksAsync(string inboxId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{InboxPath(inboxId)}/webhooks?limit=100", AgentMailOperations.ListInboxWebhooks, null, cancellationToken);
        return (await ReadUnlessNotFoundAsync<WebhookListResponse>(response, AgentMailOperations.ListInboxWebhooks, cancellationToken))?.Webhooks
            .Select(w => w.ToWebhook()).ToList();
    }

    /// <summary>
    /// One page of the organisation's webhooks (<c>GET /v0/webhooks</c>, up to 100, newest first), whatever their
    /// scope; <paramref name="pageToken"/> is the previous page's <see cref="WebhookPage.NextPageToken"/>, null for the first.
    /// </summary>
    public async Task<WebhookPage> ListWebhooksAsync(string? pageToken, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, PagePath("v0/webhooks", pageToken), AgentMailOperations.ListWebhooks, null, cancellationToken);
        var page = await ReadAsync<WebhookListResponse>(response, AgentMailOperations.ListWebhooks, cancellationToken);
        return new WebhookPage([.. page.Webhooks.Select(w => w.ToWebhook())], page.NextPageToken);
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

    /// <summary>
    /// The webhook's signing secret, to verify its deliveries, or null when there is no such webhook. The same
    /// <c>GET /v0/webhooks/{webhook_id}</c> as <see cref="GetWebhookAsync"/>, read for the secret alone: it stays off
    /// <see cref="AgentMailWebhook"/>, which travels and is logged, and only a caller that asks for it holds it.
    /// </summary>
    public async Task<WebhookSecret?> GetWebhookSecretAsync(string webhookId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, WebhookPath(webhookId), AgentMailOperations.GetWebhook, null, cancellationToken);
        return await ReadUnlessNotFoundAsync<WebhookSecretResponse>(response, AgentMailOperations.GetWebhook, cancellationToken) is { } read
            ? new WebhookSecret(read.WebhookId, read.Secret)
            : null;
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

    /// <summary>
    /// The message <paramref name="messageId"/> (its Message-ID, with or without angle brackets) of the inbox, bodies
    /// included, or null when the inbox or the message does not exist.
    /// </summary>
    public async Task<AgentMailMessage?> GetMessageAsync(string inboxId, string messageId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, MessagePath(inboxId, messageId), AgentMailOperations.GetMessage, null, cancellationToken);
        return (await ReadUnlessNotFoundAsync<MessageResponse>(response, AgentMailOperations.GetMessage, cancellationToken))?.ToMessage();
    }

    /// <summary>
    /// One page (up to 100, oldest first) of the mail the inbox received after <paramref name="after"/>: messages
    /// labelled <c>received</c>, without their bodies (<c>GET /v0/inboxes/{inbox_id}/messages</c>; blocked mail is left
    /// out, as AgentMail does by default, and so are mail from senders it could not authenticate and mail it took for
    /// spam unless <paramref name="include"/> names them). <paramref name="pageToken"/> is the previous page's
    /// <see cref="MessagePage.NextPageToken"/>, null for the first. Null when there is no such inbox.
    /// </summary>
    public async Task<MessagePage?> ListReceivedMessagesAsync(
        string inboxId, DateTimeOffset after, string? pageToken, ReceivedMailClasses include, CancellationToken cancellationToken)
    {
        var query = $"limit=100&ascending=true&labels=received&after={Uri.EscapeDataString(after.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))}";
        if (include.HasFlag(ReceivedMailClasses.Unauthenticated))
        {
            query += "&include_unauthenticated=true";
        }

        if (include.HasFlag(ReceivedMailClasses.Spam))
        {
            query += "&include_spam=true";
        }

        if (pageToken is not null)
        {
            query += $"&page_token={Uri.EscapeDataString(pageToken)}";
        }

        using var response = await SendAsync(HttpMethod.Get, $"{InboxPath(inboxId)}/messages?{query}", AgentMailOperations.ListMessages, null, cancellationToken);
        return await ReadUnlessNotFoundAsync<MessageListResponse>(response, AgentMailOperations.ListMessages, cancellationToken) is { } page
            ? new MessagePage([.. page.Messages.Select(m => m.ToItem())], page.NextPageToken)
            : null;
    }

    /// <summary>
    /// Replies to the message from its inbox, in its thread. <paramref name="idempotencyKey"/> (1–256 of
    /// <c>A-Z a-z 0-9 - . _ ~</c>, deterministic per logical reply) makes the send safe to repeat, by the retries or by
    /// the caller: the same key with the same reply answers the first send's ids and sends nothing; with another
    /// reply it is refused (409).
    /// </summary>
    /// <exception cref="AgentMailException">Refused: 404 for a missing inbox or message, 409 for a key reused with another reply.</exception>
    /// <exception cref="JsonException">A success whose body is not AgentMail's answer, or names no <c>message_id</c> or a blank one: the reply may have gone out.</exception>
    public async Task<SentMessage> ReplyToMessageAsync(string inboxId, string messageId, ReplyToMessage reply, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        using var response = await SendAsync(
            HttpMethod.Post, $"{MessagePath(inboxId, messageId)}/reply", AgentMailOperations.ReplyToMessage, reply, cancellationToken, idempotencyKey);
        var sent = await ReadAsync<SentMessage>(response, AgentMailOperations.ReplyToMessage, cancellationToken);

        // The Message-ID is the reply's only name: without it its delivery events match nothing and its thread never learns it.
        return string.IsNullOrWhiteSpace(sent.MessageId)
            ? throw new JsonException($"AgentMail {AgentMailOperations.ReplyToMessage} answered {(int)response.StatusCode} without a message_id.")
            : sent;
    }

    // Path parameters are percent-encoded as the SDKs send them: a@agentmail.to becomes a%40agentmail.to.
    private static string InboxPath(string inboxId) => $"v0/inboxes/{Uri.EscapeDataString(Required(inboxId))}";

    private static string PagePath(string path, string? pageToken) =>
        pageToken is null ? $"{path}?limit=100" : $"{path}?limit=100&page_token={Uri.EscapeDataString(pageToken)}";

    private static string WebhookPath(string webhookId) => $"v0/webhooks/{Uri.EscapeDataString(Required(webhookId))}";

    private static string MessagePath(string inboxId, string messageId) => $"{InboxPath(inboxId)}/messages/{Uri.EscapeDataString(Required(messageId))}";

    private static string Required(string id, [CallerArgumentExpression(nameof(id))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, name);
        return id;
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string operation, object? body, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Options.Set(AgentMailOperations.RequestOption, operation);
        request.Options.Set(AnswerReadingHandler.MaxAnswerBytes, MaxAnswerBytes);
        if (idempotencyKey is not null)
        {
            request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        }

        if (body is not null)
        {
            // Bytes, not a stream: a retry sends the same content again.
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), AgentMailJson.Options));
            request.Content.Headers.ContentType = JsonMediaType;
        }

        return await http.SendAsync(request, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
        where T : class
    {
        await ThrowIfRefusedAsync(response, operation, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(AgentMailJson.Options, cancellationToken)
                ?? throw new JsonException($"AgentMail {operation} answered {(int)response.StatusCode} without a body.");
        }
        catch (InvalidOperationException e)
        {
            // An answer labelled with a charset .NET cannot decode: not AgentMail's JSON either, and every caller already
            // knows what to do with an answer that is not (a JsonException), where this exception would be a fault
            // none of them expects.
            throw new JsonException($"AgentMail {operation} answered in a form that cannot be read: {e.Message}", e);
        }
    }

    private static async Task<T?> ReadUnlessNotFoundAsync<T>(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
        where T : class =>
        response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<T>(response, operation, cancellationToken);

    private static async Task<bool> DeletedAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await ThrowIfRefusedAsync(response, operation, cancellationToken);
        return true;
    }

    private static async Task ThrowIfRefusedAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var error = await ReadErrorAsync(response, cancellationToken);
        var code = error?.Code is { } known ? $" {known}" : "";
        var what = error?.Message ?? response.ReasonPhrase ?? "no error body";
        throw new AgentMailException(status, error?.Name, error?.Code, $"AgentMail {operation} answered {status}{code}: {what}", error?.Suggestions);
    }

    private static async Task<ErrorResponse?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<ErrorResponse>(AgentMailJson.Options, cancellationToken);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not AgentMail's error body, or one labelled with a charset .NET cannot decode (System.Net.Http.Json's
            // InvalidOperationException): the refusal is still one, its status decides and only its words are lost.
            return null;
        }
    }
}
