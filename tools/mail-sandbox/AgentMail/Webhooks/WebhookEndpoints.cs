using Microsoft.AspNetCore.Mvc;
using OrdersMail.MailSandbox.AgentMail;
using OrdersMail.MailSandbox.AgentMail.Inboxes;
using OrdersMail.MailSandbox.Core;
using OrdersMail.MailSandbox.Faults;

namespace OrdersMail.MailSandbox.AgentMail.Webhooks;

/// <summary>AgentMail's webhook endpoints under <c>/agentmail/v0</c>: org-level and inbox-scoped.</summary>
public static class WebhookEndpoints
{
    /// <summary>The create operation, which the <c>stored_differs</c> fault targets.</summary>
    public const string CreateOperation = "webhooks.create";

    /// <summary>Maps <c>/webhooks</c> and <c>/inboxes/{inbox_id}/webhooks</c>.</summary>
    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder v0)
    {
        ArgumentNullException.ThrowIfNull(v0);
        v0.MapPost("/webhooks", CreateAsync).Operation(SandboxApi.AgentMail, CreateOperation);
        v0.MapGet("/webhooks", List).Operation(SandboxApi.AgentMail, "webhooks.list");
        v0.MapGet("/webhooks/{webhook_id}", Get).Operation(SandboxApi.AgentMail, "webhooks.get");
        v0.MapPatch("/webhooks/{webhook_id}", UpdateAsync).Operation(SandboxApi.AgentMail, "webhooks.update");
        v0.MapDelete("/webhooks/{webhook_id}", Delete).Operation(SandboxApi.AgentMail, "webhooks.delete");
        return v0.MapInboxWebhooks();
    }

    /// <summary>The 404 for a webhook that does not exist (or, under an inbox, is not scoped to it).</summary>
    public static IResult WebhookNotFound() => AgentMailError.NotFound("Webhook not found");

    private static async Task<IResult> CreateAsync(HttpRequest request, AgentMailStore store, FaultRegistry faults)
    {
        var body = await RequestBody.ReadAsync(request);
        var create = CreateWebhookRequest.Read(body, withScope: true);
        if (body.Failure is { } invalid)
        {
            return invalid;
        }

        lock (store.Sync)
        {
            if (WebhookCreation.Replayed(store, create.ClientId) is { } original)
            {
                return Results.Json(WebhookResponse.Of(original), SandboxJson.Options);
            }

            var (inboxIds, unknownInbox) = WebhookScopes.ExistingInboxes(store, create.InboxIds, "inbox_ids");
            var (podIds, unknownPod) = WebhookScopes.ExistingPods(create.PodIds, "pod_ids");
            return unknownInbox ?? unknownPod ?? WebhookCreation.Store(store, faults, CreateOperation, create, inboxIds, podIds);
        }
    }

    private static IResult List(HttpRequest request, AgentMailStore store)
    {
        IReadOnlyList<StoredWebhook> webhooks;
        lock (store.Sync)
        {
            webhooks = store.Webhooks.OldestFirst;
        }

        return ListPages.AnswerOrdered(request, webhooks, WebhookList.Of);
    }

    private static IResult Get([FromRoute(Name = "webhook_id")] string webhookId, AgentMailStore store)
    {
        lock (store.Sync)
        {
            return store.Webhooks.TryGetValue(webhookId, out var webhook) ? Results.Json(WebhookResponse.Of(webhook), SandboxJson.Options) : WebhookNotFound();
        }
    }

    private static async Task<IResult> UpdateAsync([FromRoute(Name = "webhook_id")] string webhookId, HttpRequest request, AgentMailStore store)
    {
        var body = await RequestBody.ReadAsync(request);
        var update = UpdateWebhookRequest.Read(body, withScope: true);
        if (body.Failure is { } invalid)
        {
            return invalid;
        }

        lock (store.Sync)
        {
            if (!store.Webhooks.TryGetValue(webhookId, out var webhook))
            {
                return WebhookNotFound();
            }

            var (updated, error) = WebhookScopes.Apply(store, webhook, update);
            if (updated is null)
            {
                return error!;
            }

            store.Webhooks.Put(updated);
            return Results.Json(WebhookResponse.Of(updated), SandboxJson.Options);
        }
    }

    private static IResult Delete([FromRoute(Name = "webhook_id")] string webhookId, AgentMailStore store)
    {
        lock (store.Sync)
        {
            return store.Webhooks.Remove(webhookId) ? Results.NoContent() : WebhookNotFound();
        }
    }
}
