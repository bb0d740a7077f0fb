using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.Resend;

/// <summary>Resend requests as a client sends them, and the sandbox controls the specs use.</summary>
public static class ResendCalls
{
    /// <summary>A valid send body; each call gives a fresh object a spec may change.</summary>
    public static JsonObject Email(string to = "jane@customer.example", string? subject = null) => new()
    {
        ["from"] = "Acme Orders <orders@acme.example>",
        ["to"] = to,
        ["subject"] = subject ?? $"Order {Guid.NewGuid():N}",
        ["html"] = "<p>Your order has shipped.</p>",
    };

    /// <summary>A client with an API key of its own, so its rate limit and idempotency keys are its own.</summary>
    public static HttpClient ResendWithOwnKey(this SandboxFactory factory) => factory.Resend($"re_{Guid.NewGuid():N}");

    /// <summary><c>POST /resend/emails</c>, with an <c>Idempotency-Key</c> when given.</summary>
    public static async Task<HttpResponseMessage> SendEmailAsync(this HttpClient client, JsonNode body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/resend/emails") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    /// <summary><c>POST /resend/emails/batch</c>, with an <c>Idempotency-Key</c> when given.</summary>
    public static async Task<HttpResponseMessage> SendBatchAsync(this HttpClient client, JsonArray emails, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/resend/emails/batch") { Content = JsonContent.Create(emails) };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Sends a batch and returns its ids in order, failing the spec on anything but 200.</summary>
    public static async Task<IReadOnlyList<string>> SendBatchIdsAsync(this HttpClient client, JsonArray emails, string? idempotencyKey = null)
    {
        using var response = await client.SendBatchAsync(emails, idempotencyKey);
        var json = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {json}");
        return [.. json["data"]!.AsArray().Select(e => e!["id"]!.GetValue<string>())];
    }

    /// <summary>A batch of <paramref name="count"/> valid emails, each with a subject of its own.</summary>
    public static JsonArray Emails(int count) => [.. Enumerable.Range(0, count).Select(_ => (JsonNode)Email())];

    /// <summary>Sends and returns the new email's id, failing the spec on anything but 200.</summary>
    public static async Task<string> SendEmailIdAsync(this HttpClient client, JsonNode body, string? idempotencyKey = null)
    {
        using var response = await client.SendEmailAsync(body, idempotencyKey);
        var json = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {json}");
        return json["id"]!.GetValue<string>();
    }

    /// <summary>The response body as JSON.</summary>
    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    /// <summary>Asserts a Resend error body, <c>{statusCode, message, name}</c> with the given status and name, and returns it.</summary>
    public static async Task<JsonObject> ShouldBeResendErrorAsync(this HttpResponseMessage response, int status, string name)
    {
        var body = await response.JsonAsync();
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(status, body["statusCode"]!.GetValue<int>());
        Assert.Equal(name, body["name"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["message"]!.GetValue<string>()));
        return body;
    }

    /// <summary>Sets up a webhook endpoint through the control API; returns <c>{id, signing_secret, url, events}</c>.</summary>
    public static async Task<JsonObject> AddWebhookAsync(this SandboxFactory factory, string url, params string[] events)
    {
        using var client = factory.CreateClient();
        JsonObject body = events.Length == 0
            ? new() { ["url"] = url }
            : new() { ["url"] = url, ["events"] = new JsonArray([.. events.Select(e => JsonValue.Create(e))]) };
        using var response = await client.PostAsJsonAsync("/sandbox/resend/webhooks", body);
        Assert.Equal(201, (int)response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>Gives an address an outcome (<c>bounced</c>, <c>delivery_delayed</c>, <c>complained</c>).</summary>
    public static async Task DesignateAsync(this SandboxFactory factory, string address, string outcome)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/sandbox/resend/recipients", new { address, outcome });
        Assert.Equal(201, (int)response.StatusCode);
    }

    /// <summary>The emails the sandbox accepted, from its control API.</summary>
    public static async Task<JsonArray> AcceptedEmailsAsync(this SandboxFactory factory)
    {
        using var client = factory.CreateClient();
        return (await client.GetFromJsonAsync<JsonObject>("/sandbox/resend/emails"))!["data"]!.AsArray();
    }
}
