using Microsoft.AspNetCore.Mvc;
using OrdersMail.MailSandbox.AgentMail.Inboxes;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>AgentMail's message endpoints under <c>/agentmail/v0/inboxes/{inbox_id}/messages</c>, and their sandbox controls.</summary>
public static class MessageEndpoints
{
    /// <summary>Maps the message endpoints.</summary>
    public static RouteGroupBuilder MapMessages(this RouteGroupBuilder v0)
    {
        ArgumentNullException.ThrowIfNull(v0);
        var messages = v0.MapGroup("/inboxes/{inbox_id}/messages");
        messages.MapGet("", List).Operation(SandboxApi.AgentMail, "messages.list");
        messages.MapGet("/{message_id}", Get).Operation(SandboxApi.AgentMail, "messages.get");
        messages.MapPatch("/{message_id}", UpdateAsync).Operation(SandboxApi.AgentMail, "messages.update");
        messages.MapPost("/send", MessageSendHandlers.SendAsync).Operation(SandboxApi.AgentMail, "messages.send");
        messages.MapPost("/{message_id}/reply", MessageSendHandlers.ReplyAsync).Operation(SandboxApi.AgentMail, "messages.reply");
        return v0;
    }

    /// <summary>Maps the controls under <c>/sandbox/agentmail</c>.</summary>
    public static RouteGroupBuilder MapMessageControls(this RouteGroupBuilder sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        sandbox.MapPost("/inboxes/{inbox_id}/messages", MessageControlHandlers.DeliverAsync);
        MapMarked(sandbox, "/bouncing", store => store.BouncingAddresses);
        MapMarked(sandbox, "/complaining", store => store.ComplainingAddresses);
        MapMarked(sandbox, "/rejecting", store => store.RejectingAddresses);
        return sandbox;
    }

    // POST adds addresses (and answers all of them), GET lists them, DELETE clears them.
    private static void MapMarked(RouteGroupBuilder sandbox, string path, Func<AgentMailStore, MarkedAddresses> set)
    {
        sandbox.MapPost(path, (HttpRequest http, AgentMailStore store) => MessageControlHandlers.MarkAsync(http, set(store)));
        sandbox.MapGet(path, (AgentMailStore store) => MessageControlHandlers.List(set(store)));
        sandbox.MapDelete(path, (AgentMailStore store) => MessageControlHandlers.Clear(set(store)));
    }

    /// <summary>
    /// The inbox and one of its messages, or a 404 for either. The id may come with or without its angle
    /// brackets; routing has already decoded <c>%3C…%40…%3E</c>.
    /// </summary>
    internal static (StoredInbox? Inbox, StoredMessage? Message, IResult? Error) Find(AgentMailStore store, string inboxId, string messageId)
    {
        if (store.FindInbox(inboxId) is not { } inbox)
        {
            return (null, null, AgentMailError.NotFound("Inbox not found"));
        }

        lock (store.Sync)
        {
            if (store.Messages.TryGetValue((inbox.InboxId, messageId), out var message) ||
                (MessageIds.Normalize(messageId) is { } normalized && store.Messages.TryGetValue((inbox.InboxId, normalized), out message)))
            {
                return (inbox, message, null);
            }
        }

        return (inbox, null, AgentMailError.NotFound("Message not found"));
    }

    private static IResult List([FromRoute(Name = "inbox_id")] string inboxId, HttpRequest http, AgentMailStore store)
    {
        if (store.FindInbox(inboxId) is not { } inbox)
        {
            return AgentMailError.NotFound("Inbox not found");
        }

        var (query, queryError) = MessageListQuery.Read(http);
        if (queryError is not null)
        {
            return queryError;
        }

        IReadOnlyList<StoredMessage> matching;
        lock (store.Sync)
        {
            matching = query!.Apply(store.Messages.InInbox(inbox.InboxId).Where(m => m.InboxId == inbox.InboxId));
        }

        var (page, next, pageError) = Pagination.Page(matching, query.Limit, query.PageToken);
        return pageError ?? Results.Json(new ListMessagesResponse(page.Count, query.Limit, next, [.. page.Select(MessageItem.Of)]), SandboxJson.Options);
    }

    private static IResult Get([FromRoute(Name = "inbox_id")] string inboxId, [FromRoute(Name = "message_id")] string messageId, AgentMailStore store)
    {
        var (_, message, error) = Find(store, inboxId, messageId);
        return error ?? Results.Json(message, SandboxJson.Options);
    }

    /// <summary>Adds, then removes labels (a label in both lists ends up removed); answers the labels now held.</summary>
    private static async Task<IResult> UpdateAsync([FromRoute(Name = "inbox_id")] string inboxId, [FromRoute(Name = "message_id")] string messageId, HttpRequest http, AgentMailStore store)
    {
        var (inbox, found, notFound) = Find(store, inboxId, messageId);
        if (notFound is not null)
        {
            return notFound;
        }

        var (body, bodyError) = await MessageBody.ReadAsync(http);
        var (request, bindError) = bodyError is null ? MessageBody.Bind<UpdateMessageRequest>(body) : (null, bodyError);
        if (bindError is not null)
        {
            return bindError;
        }

        var add = request!.AddLabels ?? [];
        var remove = request.RemoveLabels ?? [];
        if (add.Count + remove.Count == 0)
        {
            return AgentMailError.Validation("add_labels or remove_labels is required.", new ValidationIssue(["add_labels"], "Required", "invalid_type"));
        }

        if (add.Concat(remove).Any(string.IsNullOrWhiteSpace))
        {
            return AgentMailError.Validation("A label must not be empty.", new ValidationIssue([add.Any(string.IsNullOrWhiteSpace) ? "add_labels" : "remove_labels"], "A label must not be empty", "too_small"));
        }

        var key = (inbox!.InboxId, found!.MessageId);
        IReadOnlyList<string> labels;
        lock (store.Sync)
        {
            if (!store.Messages.TryGetValue(key, out var current))
            {
                return AgentMailError.NotFound("Message not found");
            }

            labels = [.. current.Labels.Concat(add).Distinct(StringComparer.Ordinal).Where(l => !remove.Contains(l))];
            store.Messages[key] = current with { Labels = labels, UpdatedAt = DateTimeOffset.UtcNow };
        }

        return Results.Json(new UpdateMessageResponse(found.MessageId, labels), SandboxJson.Options);
    }
}
