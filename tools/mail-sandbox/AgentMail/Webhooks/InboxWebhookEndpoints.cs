using Microsoft.AspNetCore.Mvc;
using OrdersMail.MailSandbox.AgentMail;
using OrdersMail.MailSandbox.AgentMail.Inboxes;
using OrdersMail.MailSandbox.Core;
using OrdersMail.MailSandbox.Faults;

namespace OrdersMail.MailSandbox.AgentMail.Webhooks;

/// <summary>
/// The inbox-scoped webhook endpoints, <c>/inboxes/{inbox_id}/webhooks[/{webhook_id}]</c>: the path's inbox is the
/// scope. They see only webhooks whose scope includes that inbox (any other id is a 404, as AgentMail hides what is
/// outside the scope), and delete removes the webhook itself, not just the inbox from its scope.
/// </summary>
public static class InboxWebhookEndpoints
{
    /// <summary>The create operation, which the <c>stored_differs</c> fault targets.</summary>
    public const string CreateOperation = "inbox_webhooks.create";

    /// <summary>Maps the inbox-scoped family.</summary>
    public static RouteGroupBuilder MapInboxWebhooks(this RouteGroupBuilder v0)
    {
        ArgumentNullException.ThrowIfNull(v0);
        v0.MapPost("/inboxes/{inbox_id}/webhooks", CreateAsync).Operation(SandboxApi.AgentMail, CreateOperation);
        v0.MapGet("/inboxes/{inbox_id}/webhooks", List).Operation(SandboxApi.AgentMail, "inbox_webhooks.list");
        v0.MapGet("/inboxes/{inbox_id}/webhooks/{webhook_id}", Get).Operation(SandboxApi.AgentMail, "inbox_webhooks.get");
        v0.MapPatch("/inboxes/{inbox_id}/webhooks/{webhook_id}", UpdateAsync).Operation(SandboxApi.AgentMail, "inbox_webhooks.update");
        v0.MapDelete("/inboxes/{inbox_id}/webhooks/{webhook_id}", Delete).Operation(SandboxApi.AgentMail, "inbox_webhooks.delete");
        return v0;
    }

    private static async Task<IResult> CreateAsync([FromRoute(Name = "inbox_id")] string inboxId, HttpRequest request, AgentMailStore store, FaultRegistry faults)
    {
        var body = await RequestBody.ReadAsync(request);
        var create = CreateWebhookRequest.Read(body, withScope: false);
        if (body.Failure is { } invalid)
        {
            return invalid;
        }

        lock (store.Sync)
        {
            if (!store.Inboxes.TryGetValue(inboxId, out var inbox))
            {
                return InboxEndpoints.InboxNotFound();
            }

            // client_id keys are org-wide, shared with the org-level create: a replay returns the original wherever it is scoped.
            return WebhookCreation.Replayed(store, create.ClientId) is { } original
                ? Results.Json(WebhookResponse.Of(original), SandboxJson.Options)
                : WebhookCreation.Store(store, faults, CreateOperation, create, [inbox.InboxId], []);
        }
    }

    private static IResult List([FromRoute(Name = "inbox_id")] string inboxId, HttpRequest request, AgentMailStore store)
    {
        List<StoredWebhook> webhooks;
        lock (store.Sync)
        {
            if (!store.Inboxes.ContainsKey(inboxId))
            {
                return InboxEndpoints.InboxNotFound();
            }

            webhooks = [.. store.Webhooks.ScopedTo(inboxId)];
        }

        return ListPages.Answer(request, webhooks, w => w.CreatedAt, w => w.WebhookId, WebhookList.Of);
    }

    private static IResult Get([FromRoute(Name = "inbox_id")] string inboxId, [FromRoute(Name = "webhook_id")] string webhookId, AgentMailStore store)
    {
        lock (store.Sync)
        {
            return Find(store, inboxId, webhookId, out var webhook) ?? Results.Json(WebhookResponse.Of(webhook!), SandboxJson.Options);
        }
    }

    private static async Task<IResult> UpdateAsync(
        [FromRoute(Name = "inbox_id")] string inboxId,
        [FromRoute(Name = "webhook_id")] string webhookId,
        HttpRequest request,
        AgentMailStore store)
    {
        var body = await RequestBody.ReadAsync(request);
        var update = UpdateWebhookRequest.Read(body, withScope: false);
        if (body.Failure is { } invalid)
        {
            return invalid;
        }

        lock (store.Sync)
        {
            if (Find(store, inboxId, webhookId, out var webhook) is { } notFound)
            {
                return notFound;
            }

            var (updated, error) = WebhookScopes.Apply(store, webhook!, update);
            if (updated is null)
            {
                return error!;
            }

            store.Webhooks.Put(updated);
            return Results.Json(WebhookResponse.Of(updated), SandboxJson.Options);
        }
    }

    private static IResult Delete([FromRoute(Name = "inbox_id")] string inboxId, [FromRoute(Name = "webhook_id")] string webhookId, AgentMailStore store)
    {
        lock (store.Sync)
        {
            if (Find(store, inboxId, webhookId, out var webhook) is { } notFound)
            {
                return notFound;
            }

            store.Webhooks.Remove(webhook!.WebhookId);
            return Results.NoContent();
        }
    }

    /// <summary>The 404 when the inbox does not exist or the webhook is not scoped to it; null with the webhook otherwise.</summary>
    private static IResult? Find(AgentMailStore store, string inboxId, string webhookId, out StoredWebhook? webhook)
    {
        if (!store.Inboxes.ContainsKey(inboxId))
        {
            webhook = null;
            return InboxEndpoints.InboxNotFound();
        }

        return store.Webhooks.TryGetValue(webhookId, out webhook) && webhook.InboxIds.Contains(inboxId, StringComparer.OrdinalIgnoreCase)
            ? null
            : WebhookNotFound();
    }

    private static IResult WebhookNotFound() => WebhookEndpoints.WebhookNotFound();
}
