using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OrdersMail.MailSandbox.Tests.Support;
using OrdersMail.Testing.Http;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>
/// Drives the sandbox's AgentMail as the message specs need it: inboxes and webhooks through their public API,
/// inbound mail and bouncing addresses through the control API, messages through the API under test.
/// </summary>
public sealed class MessageApi(HttpClient client, HttpClient control) : IDisposable
{
    /// <summary>Drives the in-memory sandbox of <paramref name="factory"/>.</summary>
    public MessageApi(SandboxFactory factory)
        : this(factory.AgentMail(), factory.CreateClient())
    {
    }

    /// <summary>How the SDKs write bodies: absent optionals left out, never sent as null.</summary>
    private static readonly JsonSerializerOptions Omitting = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>How long a spec waits for a webhook that should come.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>How long a spec waits to be sure a webhook does not come.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    /// <summary>A client with an AgentMail key.</summary>
    public HttpClient Client { get; } = client;

    /// <summary>A client for the control API (no key).</summary>
    public HttpClient Control { get; } = control;

    /// <summary><c>/agentmail/v0/inboxes/{inbox_id}/messages</c>, the inbox id percent-encoded as the SDK sends it.</summary>
    public static string Messages(string inboxId) => $"/agentmail/v0/inboxes/{Uri.EscapeDataString(inboxId)}/messages";

    /// <summary>One message's path, the id percent-encoded (<c>%3Ca%40b%3E</c>).</summary>
    public static string Message(string inboxId, string messageId) => $"{Messages(inboxId)}/{Uri.EscapeDataString(messageId)}";

    /// <summary>A fresh inbox, created through <c>POST /v0/inboxes</c>; answers its id (its address).</summary>
    public async Task<string> CreateInboxAsync(string purpose, string? displayName = null)
    {
        var username = $"{purpose}-{Guid.NewGuid():N}";
        var response = await Client.PostAsJsonAsync("/agentmail/v0/inboxes", new { username, display_name = displayName }, Omitting);
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["inbox_id"]!.GetValue<string>();
    }

    /// <summary>A webhook through <c>POST /v0/webhooks</c>: org-wide without <paramref name="inboxIds"/>.</summary>
    public async Task<JsonObject> CreateWebhookAsync(string url, string[] eventTypes, string[]? inboxIds = null)
    {
        var response = await Client.PostAsJsonAsync("/agentmail/v0/webhooks", new { url, event_types = eventTypes, inbox_ids = inboxIds }, Omitting);
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>A webhook scoped to one inbox through <c>POST /v0/inboxes/{inbox_id}/webhooks</c>.</summary>
    public async Task<JsonObject> CreateInboxWebhookAsync(string inboxId, string url, string[] eventTypes)
    {
        var response = await Client.PostAsJsonAsync($"/agentmail/v0/inboxes/{Uri.EscapeDataString(inboxId)}/webhooks", new { url, event_types = eventTypes });
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>An inbox webhook on <paramref name="receiver"/> for the events of one inbox.</summary>
    public Task<JsonObject> ListenAsync(WebhookReceiver receiver, string inboxId, params string[] eventTypes) =>
        CreateInboxWebhookAsync(inboxId, receiver.Url("/agentmail"), eventTypes);

    /// <summary>Delivers an inbound email through the control API and answers the stored message.</summary>
    public async Task<JsonObject> DeliverAsync(string inboxId, object email)
    {
        var response = await PostDeliveryAsync(inboxId, email);
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The raw answer of the delivery control endpoint.</summary>
    public Task<HttpResponseMessage> PostDeliveryAsync(string inboxId, object email) =>
        Control.PostAsJsonAsync($"/sandbox/agentmail/inboxes/{Uri.EscapeDataString(inboxId)}/messages", email);

    /// <summary>Marks addresses as bouncing through the control API.</summary>
    public Task MarkBouncingAsync(params string[] addresses) => MarkAsync("bouncing", addresses);

    /// <summary>Marks addresses through the control API for <paramref name="fate"/>: <c>bouncing</c>, <c>complaining</c> or <c>rejecting</c>.</summary>
    public async Task MarkAsync(string fate, params string[] addresses) =>
        await EnsureAsync(await Control.PostAsJsonAsync($"/sandbox/agentmail/{fate}", new { addresses }));

    /// <summary>POSTs exact JSON text (so specs control key order and spacing), with an <c>Idempotency-Key</c> when given.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, string json, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>POSTs an object as JSON and answers the JSON body; fails unless 200.</summary>
    public async Task<JsonObject> PostOkAsync(string path, object body)
    {
        var response = await Client.PostAsJsonAsync(path, body);
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>GETs JSON; fails unless 200.</summary>
    public async Task<JsonObject> GetOkAsync(string path)
    {
        var response = await Client.GetAsync(path);
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The webhook bodies <paramref name="receiver"/> got for <paramref name="eventType"/>, parsed.</summary>
    public static IReadOnlyList<JsonObject> Events(WebhookReceiver receiver, string eventType) =>
        [.. receiver.Received.Select(r => JsonNode.Parse(r.Body)!.AsObject()).Where(e => (string?)e["event_type"] == eventType)];

    /// <summary>True when the delivery is an event of <paramref name="eventType"/>.</summary>
    public static bool Is(ReceivedWebhook webhook, string eventType) => (string?)JsonNode.Parse(webhook.Body)!["event_type"] == eventType;

    /// <inheritdoc />
    public void Dispose()
    {
        Client.Dispose();
        Control.Dispose();
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
