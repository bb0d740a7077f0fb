using System.Net;
using System.Text.Json.Nodes;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>Webhook calls for the specs, on top of <see cref="InboxHttp"/>.</summary>
public static class WebhookHttp
{
    /// <summary>A receiver URL that no spec listens on; creating webhooks does not deliver anything.</summary>
    public const string Url = "https://orders.example/webhooks/agentmail";

    /// <summary><c>["message.received"]</c>, the event list most specs subscribe to.</summary>
    public static readonly IReadOnlyList<string> Received = ["message.received"];

    /// <summary>Creates an org-level webhook and returns it, failing the spec unless the answer is 200.</summary>
    public static async Task<JsonObject> CreateWebhookAsync(this HttpClient client, object body)
    {
        var reply = await client.SendAsync(HttpMethod.Post, $"{InboxHttp.V0}/webhooks", body);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Json;
    }

    /// <summary>Creates a webhook under an inbox and returns it, failing the spec unless the answer is 200.</summary>
    public static async Task<JsonObject> CreateInboxWebhookAsync(this HttpClient client, string inboxId, object body)
    {
        var reply = await client.SendAsync(HttpMethod.Post, $"{InboxHttp.V0}/inboxes/{inboxId}/webhooks", body);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Json;
    }

    /// <summary>The webhook as <c>GET /webhooks/{id}</c> returns it.</summary>
    public static async Task<JsonObject> GetWebhookAsync(this HttpClient client, string webhookId)
    {
        var reply = await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/webhooks/{webhookId}");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Json;
    }

    /// <summary>The <c>webhook_id</c> of a webhook object.</summary>
    public static string WebhookId(this JsonObject webhook) => webhook["webhook_id"]!.GetValue<string>();
}
