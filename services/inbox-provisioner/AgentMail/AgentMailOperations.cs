namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>
/// The names of the client's AgentMail operations, as the mail sandbox's fault rules name them. They tag the
/// <c>agentmail.client.requests</c> metric and every retry logged.
/// </summary>
public static class AgentMailOperations
{
    /// <summary><c>POST /v0/inboxes</c>.</summary>
    public const string CreateInbox = "inboxes.create";

    /// <summary><c>GET /v0/inboxes/{inbox_id}</c>.</summary>
    public const string GetInbox = "inboxes.get";

    /// <summary><c>PATCH /v0/inboxes/{inbox_id}</c>.</summary>
    public const string UpdateInbox = "inboxes.update";

    /// <summary><c>DELETE /v0/inboxes/{inbox_id}</c>.</summary>
    public const string DeleteInbox = "inboxes.delete";

    /// <summary><c>POST /v0/inboxes/{inbox_id}/webhooks</c>.</summary>
    public const string CreateInboxWebhook = "inbox_webhooks.create";

    /// <summary><c>GET /v0/webhooks/{webhook_id}</c>.</summary>
    public const string GetWebhook = "webhooks.get";

    /// <summary><c>PATCH /v0/webhooks/{webhook_id}</c>.</summary>
    public const string UpdateWebhook = "webhooks.update";

    /// <summary><c>DELETE /v0/webhooks/{webhook_id}</c>.</summary>
    public const string DeleteWebhook = "webhooks.delete";

    /// <summary><c>GET /v0/webhooks</c>, one page.</summary>
    public const string ListWebhooks = "webhooks.list";

    /// <summary>Where a request carries its operation's name down to the call counter and the retry logs.</summary>
    internal static readonly HttpRequestOptionsKey<string> RequestOption = new("agentmail.operation");
}
