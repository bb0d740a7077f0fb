using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>
/// What the sandbox's AgentMail stores, read over its public API with plain JSON (not through the client under
/// test), and its fault controls.
/// </summary>
public sealed class SandboxAgentMail(MailSandboxServer sandbox) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = new Uri(sandbox.AgentMailBaseUrl.TrimEnd('/') + "/"),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", "am_test_reader") },
        Timeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>Every inbox.</summary>
    public Task<IReadOnlyList<JsonObject>> InboxesAsync() => ListAsync("v0/inboxes", "inboxes");

    /// <summary>Every webhook, org-level (so drifted ones show too).</summary>
    public Task<IReadOnlyList<JsonObject>> WebhooksAsync() => ListAsync("v0/webhooks", "webhooks");

    /// <summary>The inboxes whose <c>metadata.user_id</c> is <paramref name="userId"/>.</summary>
    public async Task<IReadOnlyList<JsonObject>> InboxesOfAsync(string userId) =>
        [.. (await InboxesAsync()).Where(i => i["metadata"]?["user_id"]?.GetValue<string>() == userId)];

    /// <summary>The webhooks that would receive <paramref name="inboxId"/>'s events: scoped to it, or org-wide.</summary>
    public async Task<IReadOnlyList<JsonObject>> WebhooksReachingAsync(string inboxId) =>
        [.. (await WebhooksAsync()).Where(w => IsOrgWide(w) || InboxIds(w).Contains(inboxId, StringComparer.OrdinalIgnoreCase))];

    /// <summary>Org-wide webhooks: no inbox, no pod.</summary>
    public async Task<IReadOnlyList<JsonObject>> OrgWideWebhooksAsync() => [.. (await WebhooksAsync()).Where(IsOrgWide)];

    /// <summary>One inbox, or null when AgentMail has none by that id.</summary>
    public async Task<JsonObject?> InboxAsync(string inboxId)
    {
        using var response = await _http.GetAsync($"v0/inboxes/{Uri.EscapeDataString(inboxId)}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Creates an inbox as someone other than the provisioner would (AgentMail's console, another app of the organisation).</summary>
    public async Task<JsonObject> CreateInboxAsync(string username, string clientId)
    {
        using var response = await _http.PostAsJsonAsync("v0/inboxes", new JsonObject { ["username"] = username, ["client_id"] = clientId });
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Changes an inbox as someone other than the provisioner would (<c>display_name</c>, <c>metadata</c>).</summary>
    public async Task UpdateInboxAsync(string inboxId, JsonObject update)
    {
        using var response = await _http.PatchAsJsonAsync($"v0/inboxes/{Uri.EscapeDataString(inboxId)}", update);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Deletes an inbox as someone other than the provisioner would.</summary>
    public async Task DeleteInboxAsync(string inboxId)
    {
        using var response = await _http.DeleteAsync($"v0/inboxes/{Uri.EscapeDataString(inboxId)}");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Deletes a webhook as someone other than the provisioner would.</summary>
    public async Task DeleteWebhookAsync(string webhookId)
    {
        using var response = await _http.DeleteAsync($"v0/webhooks/{Uri.EscapeDataString(webhookId)}");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Changes a webhook as someone other than the provisioner would (<c>event_types</c>, <c>add_inbox_ids</c>...).</summary>
    public async Task UpdateWebhookAsync(string webhookId, JsonObject update)
    {
        using var response = await _http.PatchAsJsonAsync($"v0/webhooks/{Uri.EscapeDataString(webhookId)}", update);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Adds a fault rule (snake_case fields, e.g. <c>error_status</c>, <c>times</c>) to an AgentMail operation of the sandbox; returns its id.</summary>
    public async Task<string> FaultAsync(string operation, JsonObject rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule["api"] = "agentmail";
        rule["operation"] = operation;
        using var response = await sandbox.Http.PostAsJsonAsync("sandbox/faults", rule);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>How often the fault rule <paramref name="id"/> applied so far (errors answered...).</summary>
    public async Task<long> AppliedAsync(string id)
    {
        var faults = (await sandbox.Http.GetFromJsonAsync<JsonObject>("sandbox/faults"))!["faults"]!.AsArray();
        return faults.Single(f => f!["id"]!.GetValue<string>() == id)!["applied"]!.GetValue<long>();
    }

    /// <summary>How many more matches the fault rule <paramref name="id"/> applies to (it was added with <c>times</c>): each call it matched took one.</summary>
    public async Task<int> RemainingAsync(string id)
    {
        var faults = (await sandbox.Http.GetFromJsonAsync<JsonObject>("sandbox/faults"))!["faults"]!.AsArray();
        return faults.Single(f => f!["id"]!.GetValue<string>() == id)!["remaining"]!.GetValue<int>();
    }

    /// <summary>Removes the fault rule <paramref name="id"/>.</summary>
    public async Task RemoveFaultAsync(string id)
    {
        using var response = await sandbox.Http.DeleteAsync($"sandbox/faults/{Uri.EscapeDataString(id)}");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Removes every fault rule.</summary>
    public async Task ClearFaultsAsync()
    {
        using var response = await sandbox.Http.DeleteAsync("sandbox/faults");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The inbox ids a webhook is scoped to.</summary>
    public static IReadOnlyList<string> InboxIds(JsonObject webhook) =>
        webhook["inbox_ids"] is JsonArray ids ? [.. ids.Select(i => i!.GetValue<string>())] : [];

    /// <summary>The event types a webhook is stored with.</summary>
    public static IReadOnlyList<string> EventTypes(JsonObject webhook) =>
        webhook["event_types"] is JsonArray types ? [.. types.Select(i => i!.GetValue<string>())] : [];

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static bool IsOrgWide(JsonObject webhook) =>
        InboxIds(webhook).Count == 0 && (webhook["pod_ids"] is not JsonArray pods || pods.Count == 0);

    private async Task<IReadOnlyList<JsonObject>> ListAsync(string path, string key)
    {
        var all = new List<JsonObject>();
        string? token = null;
        do
        {
            var url = token is null ? $"{path}?limit=100" : $"{path}?limit=100&page_token={Uri.EscapeDataString(token)}";
            var page = (await _http.GetFromJsonAsync<JsonObject>(url))!;
            all.AddRange(page[key]!.AsArray().Select(n => n!.AsObject()));
            token = page["next_page_token"]?.GetValue<string>();
        }
        while (token is not null);

        return all;
    }
}
