using Microsoft.AspNetCore.Mvc;
using OrdersMail.MailSandbox.AgentMail;
using OrdersMail.MailSandbox.AgentMail.Webhooks;
using OrdersMail.MailSandbox.Core;
using OrdersMail.MailSandbox.Faults;

namespace OrdersMail.MailSandbox.AgentMail.Inboxes;

/// <summary>
/// AgentMail's inbox endpoints under <c>/agentmail/v0</c>. An inbox's id is its address; routing decodes the
/// <c>%40</c> the SDKs send, so <c>a@agentmail.to</c> and <c>a%40agentmail.to</c> name the same inbox.
/// </summary>
public static class InboxEndpoints
{
    private const string CreateOperation = "inboxes.create";

    /// <summary>Maps <c>/inboxes</c>.</summary>
    public static RouteGroupBuilder MapInboxes(this RouteGroupBuilder v0)
    {
        ArgumentNullException.ThrowIfNull(v0);
        v0.MapPost("/inboxes", CreateAsync).Operation(SandboxApi.AgentMail, CreateOperation);
        v0.MapGet("/inboxes", List).Operation(SandboxApi.AgentMail, "inboxes.list");
        v0.MapGet("/inboxes/{inbox_id}", Get).Operation(SandboxApi.AgentMail, "inboxes.get");
        v0.MapPatch("/inboxes/{inbox_id}", UpdateAsync).Operation(SandboxApi.AgentMail, "inboxes.update");
        v0.MapDelete("/inboxes/{inbox_id}", Delete).Operation(SandboxApi.AgentMail, "inboxes.delete");
        return v0;
    }

    /// <summary>The 404 for an inbox that does not exist.</summary>
    public static IResult InboxNotFound() => AgentMailError.NotFound("Inbox not found");

    private static async Task<IResult> CreateAsync(HttpRequest request, AgentMailStore store, FaultRegistry faults)
    {
        var body = await RequestBody.ReadAsync(request);
        var create = CreateInboxRequest.Read(body);
        if (body.Failure is { } invalid)
        {
            return invalid;
        }

        lock (store.Sync)
        {
            // A known client_id is not processed again: the inbox it created comes back as stored, whatever this body says.
            if (create.ClientId is { } clientId && store.Inboxes.WithClientId(clientId) is { } original)
            {
                return Results.Json(original, SandboxJson.Options);
            }

            if (create.ClientId is { } usedId && store.Inboxes.DeletedWithClientId(usedId) is { } deleted && ReplaysDeleted(faults))
            {
                return Results.Json(deleted, SandboxJson.Options);
            }

            var username = create.Username ?? FreeRandomUsername(store, create.Domain);
            var address = $"{username}@{create.Domain}";
            if (store.Inboxes.ContainsKey(address))
            {
                var suggestions = UsernameRules.Suggest(username, candidate => !store.Inboxes.ContainsKey($"{candidate}@{create.Domain}"));
                return Results.Json(new AgentMailError("IsTakenError", "resource_taken", "Inbox is taken") { Suggestions = suggestions }, SandboxJson.Options, statusCode: StatusCodes.Status403Forbidden);
            }

            var now = DateTimeOffset.UtcNow;
            var inbox = new StoredInbox
            {
                PodId = SandboxPod.Id,
                InboxId = address,
                Email = address,
                DisplayName = string.IsNullOrEmpty(create.DisplayName) ? null : create.DisplayName,
                ClientId = create.ClientId,
                Metadata = create.Metadata is { Count: > 0 } ? create.Metadata : null,
                UpdatedAt = now,
                CreatedAt = now,
            };
            store.Inboxes.Put(inbox);
            return Results.Json(inbox, SandboxJson.Options);
        }
    }

    private static IResult Get([FromRoute(Name = "inbox_id")] string inboxId, AgentMailStore store) =>
        store.FindInbox(inboxId) is { } inbox ? Results.Json(inbox, SandboxJson.Options) : InboxNotFound();

    private static IResult List(HttpRequest request, AgentMailStore store)
    {
        IReadOnlyList<StoredInbox> inboxes;
        lock (store.Sync)
        {
            inboxes = store.Inboxes.OldestFirst;
        }

        return ListPages.AnswerOrdered(request, inboxes, InboxList.Of);
    }

    private static async Task<IResult> UpdateAsync([FromRoute(Name = "inbox_id")] string inboxId, HttpRequest request, AgentMailStore store)
    {
        var body = await RequestBody.ReadAsync(request);
        var update = UpdateInboxRequest.Read(body);
        if (body.Failure is { } invalid)
        {
            return invalid;
        }

        lock (store.Sync)
        {
            if (!store.Inboxes.TryGetValue(inboxId, out var inbox))
            {
                return InboxNotFound();
            }

            var metadata = update.ClearMetadata ? null
                : update.MetadataChanges is { } changes ? InboxMetadata.Merge(inbox.Metadata, changes)
                : inbox.Metadata;
            if (metadata is { Count: > InboxMetadata.MaxKeys })
            {
                return AgentMailError.Validation(
                    $"An inbox can have at most {InboxMetadata.MaxKeys} metadata keys; this update would leave {metadata.Count}.",
                    new ValidationIssue(["metadata"], $"Too many keys: at most {InboxMetadata.MaxKeys}", "too_big"));
            }

            var updated = inbox with
            {
                DisplayName = update.DisplayName is null ? inbox.DisplayName : update.DisplayName.Length == 0 ? null : update.DisplayName,
                Metadata = metadata,
                UpdatedAt = DateTimeOffset.UtcNow,
            };
            store.Inboxes.Put(updated);
            return Results.Json(updated, SandboxJson.Options);
        }
    }

    /// <summary>
    /// Deletes the inbox with its messages. Webhooks scoped to it lose it from their scope, and one left with no
    /// inbox and no pod is deleted: kept, it would turn org-wide and start receiving every other inbox's events.
    /// </summary>
    private static IResult Delete([FromRoute(Name = "inbox_id")] string inboxId, AgentMailStore store)
    {
        lock (store.Sync)
        {
            if (!store.Inboxes.Remove(inboxId, out var inbox))
            {
                return InboxNotFound();
            }

            store.Messages.RemoveInbox(inbox.InboxId);

            WebhookScopes.ForgetInbox(store, inbox.InboxId);
        }

        return Results.NoContent();
    }

    // Taken only for a create that has a deleted inbox to replay, so a rule with times counts those creates alone.
    private static bool ReplaysDeleted(FaultRegistry faults)
    {
        if (faults.Take(SandboxApi.AgentMail, CreateOperation, r => r.ReplayDeleted) is not [var rule, ..])
        {
            return false;
        }

        faults.CountApplied(rule.Id);
        return true;
    }

    private static string FreeRandomUsername(AgentMailStore store, string domain)
    {
        while (true)
        {
            var username = UsernameRules.Random();
            if (!store.Inboxes.ContainsKey($"{username}@{domain}"))
            {
                return username;
            }
        }
    }
}
