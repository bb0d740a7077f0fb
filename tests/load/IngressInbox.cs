using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrdersMail.Load;

/// <summary>
/// An inbox of the ingress measurements' own in the sandbox's AgentMail, with a webhook to the router for
/// <c>message.received</c>: its secret signs the load's deliveries, and the router learns it from AgentMail on the first one.
/// </summary>
public static class IngressInbox
{
    private static readonly string[] ReceivedOnly = ["message.received"];

    /// <summary>Creates the inbox (its <c>metadata.order_ref</c> set to <paramref name="orderRef"/>) and its webhook to <paramref name="webhookUrl"/>.</summary>
    public static async Task<(string InboxId, string Secret)> ProvisionAsync(HttpClient http, Uri sandbox, Uri webhookUrl, string orderRef)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(webhookUrl);
        var agentMail = new Uri(sandbox, "agentmail/");
        var name = $"load-{Guid.NewGuid():N}"[..20];
        var inbox = await PostAsync(http, new Uri(agentMail, "v0/inboxes"), new { username = name, client_id = $"inbox-{name}", metadata = new { order_ref = orderRef } });
        var inboxId = inbox["inbox_id"]!.GetValue<string>();
        var webhook = await PostAsync(http, new Uri(agentMail, $"v0/inboxes/{Uri.EscapeDataString(inboxId)}/webhooks"), new
        {
            url = webhookUrl.ToString(),
            event_types = ReceivedOnly,
            client_id = $"webhook-{name}",
        });
        return (inboxId, webhook["secret"]!.GetValue<string>());
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, Uri url, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "am_load_benchmark");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
