using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OrdersMail.MailSandbox;

namespace OrdersMail.MailSandbox.Tests.Support;

/// <summary>
/// The sandbox in memory (its HTTP API through the test server), with its webhook deliveries going out over
/// real HTTP. Retries are compressed a million times (Svix's 5 s retry comes after 5 µs), so retry specs run fast.
/// Each attempt has 30 s to be answered: the first delivery of a spec can take seconds on a loaded 2-core machine, and
/// an attempt timed out is retried at once, so a shorter time delivered it twice to specs that count the attempts.
/// </summary>
public sealed class SandboxFactory : WebApplicationFactory<SandboxProgram>
{
    /// <summary>The sandbox's JSON conventions, for reading its answers.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Extra settings (e.g. a strict API key).</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["MailSandbox:WebhookRetryCompression"] = "1000000",
        ["MailSandbox:WebhookAttemptTimeout"] = "00:00:30",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>A client with an AgentMail key.</summary>
    public HttpClient AgentMail(string key = "am_test_key") => WithKey(key);

    /// <summary>A client with a Resend key.</summary>
    public HttpClient Resend(string key = "re_test_key") => WithKey(key);

    /// <summary>Adds a fault rule through the control API.</summary>
    public async Task<JsonObject> AddFaultAsync(object rule)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/sandbox/faults", rule, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The fault rules in force, each with how often it applied.</summary>
    public async Task<JsonArray> FaultsAsync()
    {
        using var client = CreateClient();
        var body = await client.GetFromJsonAsync<JsonObject>("/sandbox/faults");
        return body!["faults"]!.AsArray();
    }

    /// <summary>The webhook attempts the sandbox made, filtered as the control API allows.</summary>
    public async Task<JsonArray> AttemptsAsync(string query = "")
    {
        using var client = CreateClient();
        var body = await client.GetFromJsonAsync<JsonObject>($"/sandbox/webhook-attempts{query}");
        return body!["attempts"]!.AsArray();
    }

    /// <summary>How many webhook attempts the sandbox made (of one API, with <c>?api=</c>), kept or dropped since.</summary>
    public async Task<long> RecordedAttemptsAsync(string query = "")
    {
        using var client = CreateClient();
        var body = await client.GetFromJsonAsync<JsonObject>($"/sandbox/webhook-attempts{query}");
        return body!["recorded"]!.GetValue<long>();
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    private HttpClient WithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
