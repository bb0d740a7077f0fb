using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// What the scenarios read from and ask of the mail sandbox, as a person with curl would: Clerk tokens, AgentMail's
/// inboxes and webhooks through its public API, and the control API's send log and webhook attempts.
/// </summary>
public sealed class SandboxApi(HttpClient http, Uri sandbox)
{
    // The sandbox takes any am_ key; this one names the reader in its request log.
    private static readonly AuthenticationHeaderValue AgentMailKey = new("Bearer", "am_load_scenarios");

    /// <summary>A session token for <paramref name="userId"/> (an hour long), or one of the sandbox's bad ones by <paramref name="mode"/>.</summary>
    public async Task<string> MintTokenAsync(string userId, string? mode = null)
    {
        using var response = await http.PostAsJsonAsync(Url("clerk/tokens"), new { user_id = userId, ttl_seconds = 3600, mode });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["jwt"]!.GetValue<string>();
    }

    /// <summary>Every email the sandbox's Resend accepted (its send log).</summary>
    public async Task<IReadOnlyList<JsonNode>> ResendEmailsAsync() =>
        (await GetAsync("sandbox/resend/emails", null))["data"]!.AsArray().OfType<JsonNode>().ToList();

    /// <summary>Every AgentMail inbox of the organisation, all pages.</summary>
    public Task<IReadOnlyList<JsonNode>> InboxesAsync() => AllPagesAsync("agentmail/v0/inboxes", "inboxes");

    /// <summary>Every AgentMail webhook of the organisation, all pages, inbox-scoped and org-wide.</summary>
    public Task<IReadOnlyList<JsonNode>> WebhooksAsync() => AllPagesAsync("agentmail/v0/webhooks", "webhooks");

    /// <summary>One AgentMail webhook, its secret included.</summary>
    public Task<JsonObject> WebhookAsync(string webhookId) => GetAsync($"agentmail/v0/webhooks/{Uri.EscapeDataString(webhookId)}", AgentMailKey);

    /// <summary>The sandbox's Resend webhook endpoints, with their signing secrets.</summary>
    public async Task<IReadOnlyList<JsonNode>> ResendEndpointsAsync() =>
        (await GetAsync("sandbox/resend/webhooks", null))["data"]!.AsArray().OfType<JsonNode>().ToList();

    /// <summary>Every webhook delivery attempt of <paramref name="api"/> and its answer, body and signature included.</summary>
    public async Task<IReadOnlyList<JsonNode>> WebhookAttemptsAsync(string api) =>
        (await GetAsync($"sandbox/webhook-attempts?api={api}", null))["attempts"]!.AsArray().OfType<JsonNode>().ToList();

    /// <summary>
    /// How many webhook attempts of <paramref name="api"/> the sandbox made since it started: a count that only grows,
    /// where the list above holds only the latest (<c>MailSandbox:KeptWebhookAttempts</c> per API).
    /// </summary>
    public async Task<long> WebhookAttemptsRecordedAsync(string api) =>
        // svix_id=- matches no attempt: the answer is the count without the kept attempts' bodies.
        (await GetAsync($"sandbox/webhook-attempts?api={api}&svix_id=-", null))["recorded"]!.GetValue<long>();

    /// <summary>Every message of one AgentMail inbox, all pages: what customers wrote in and what was sent from it (label <c>sent</c>).</summary>
    public Task<IReadOnlyList<JsonNode>> InboxMessagesAsync(string inbox) => AllPagesAsync($"agentmail/v0/inboxes/{Uri.EscapeDataString(inbox)}/messages", "messages");

    /// <summary>One inbox, as AgentMail keeps it (its <c>client_id</c> and metadata among the rest).</summary>
    public Task<JsonObject> InboxAsync(string inboxId) => GetAsync($"agentmail/v0/inboxes/{Uri.EscapeDataString(inboxId)}", AgentMailKey);

    /// <summary>Deletes an inbox through AgentMail's API, as someone in AgentMail's console would: not through the provisioner.</summary>
    public async Task DeleteInboxAsync(string inboxId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, Url($"agentmail/v0/inboxes/{Uri.EscapeDataString(inboxId)}"));
        request.Headers.Authorization = AgentMailKey;
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Deletes a webhook through AgentMail's API, as someone in AgentMail's console would: not through the provisioner.</summary>
    public async Task DeleteWebhookAsync(string webhookId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, Url($"agentmail/v0/webhooks/{Uri.EscapeDataString(webhookId)}"));
        request.Headers.Authorization = AgentMailKey;
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A customer writes to <paramref name="inbox"/>: the sandbox stores the message and fires the signed webhook.</summary>
    public async Task<JsonObject> SendCustomerEmailAsync(string inbox, object email)
    {
        using var response = await http.PostAsJsonAsync(Url($"sandbox/agentmail/inboxes/{Uri.EscapeDataString(inbox)}/messages"), email);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<IReadOnlyList<JsonNode>> AllPagesAsync(string path, string field)
    {
        var all = new List<JsonNode>();
        string? token = null;
        // Bounded: 1,000 pages of 100 is far beyond any run here.
        for (var page = 0; page < 1000; page++)
        {
            var body = await GetAsync(token is null ? $"{path}?limit=100" : $"{path}?limit=100&page_token={Uri.EscapeDataString(token)}", AgentMailKey);
            all.AddRange(body[field]!.AsArray().OfType<JsonNode>());
            token = body["next_page_token"]?.GetValue<string>();
            if (token is null)
            {
                return all;
            }
        }

        throw new InvalidOperationException($"{path} has more than 1,000 pages");
    }

    private async Task<JsonObject> GetAsync(string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(path));
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private Uri Url(string path) => new(sandbox, path);
}
