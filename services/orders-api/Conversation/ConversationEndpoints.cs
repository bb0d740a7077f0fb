using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Http;
using OrdersMail.OrdersApi.Paging;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>
/// <c>/api/orders/{id}/messages</c>: an order's conversation for its owner. An order that is not the caller's answers
/// exactly like one that does not exist (404), so ids of other users' orders cannot be probed. A malformed request is
/// answered 400 before any order is looked at; it says nothing about orders.
/// </summary>
internal static class ConversationEndpoints
{
    private const string Json = "application/json";

    public static void Map(RouteGroupBuilder orders)
    {
        // A change whose body is not JSON is refused by routing itself (415, from Accepts), before the handler's own answers.
        var messages = orders.MapGroup("/{id:guid}/messages").WithTags("Conversation");
        messages.MapGet("", ListAsync).WithName("ListOrderMessages").WithSummary("The order's messages, oldest first, a page at a time.")
            .WithQueryParameters(MessageQuery.Parameters);
        messages.MapGet("/unread-count", UnreadCountAsync).WithName("CountUnreadOrderMessages").WithSummary("How many unarchived messages are unread.");
        messages.MapGet("/{messageId:guid}", GetAsync).WithName("GetOrderMessage").WithSummary("One message with its body.");
        messages.MapPatch("/{messageId:guid}/labels", ChangeLabelsAsync).WithName("ChangeOrderMessageLabels").WithSummary("Adds, then removes, labels.")
            .Accepts<LabelChange>(Json).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        messages.MapPatch("/{messageId:guid}/read", SetReadAsync).WithName("SetOrderMessageRead").WithSummary("Marks the message read or unread.")
            .Accepts<ReadStateChange>(Json).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        messages.MapPatch("/{messageId:guid}/archive", SetArchivedAsync).WithName("SetOrderMessageArchived").WithSummary("Archives or unarchives the message.")
            .Accepts<ArchiveChange>(Json).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<Results<Ok<MessagePage>, ValidationProblem, NotFoundProblem>> ListAsync(
        Guid id, HttpContext http, ConversationStore store, PageCursors cursors, CancellationToken cancellationToken)
    {
        var scope = CursorScope.Messages(id, http.User.UserId());
        if (!MessageQuery.TryParse(http.Request, cursors, scope, out var query, out var errors))
        {
            return Invalid(errors);
        }

        if (!await store.OrderIsOwnedAsync(id, scope.UserId, cancellationToken))
        {
            return OrderNotFound(id);
        }

        var page = await store.ListAsync(id, query, cancellationToken);
        return TypedResults.Ok(new MessagePage(page.Items, page.Next is { } next ? cursors.Write(next, scope) : null));
    }

    private static async Task<Results<Ok<UnreadCountView>, NotFoundProblem>> UnreadCountAsync(
        Guid id, HttpContext http, ConversationStore store, CancellationToken cancellationToken)
    {
        var count = await store.UnreadCountAsync(id, http.User.UserId(), cancellationToken);
        return count is { } unread ? TypedResults.Ok(new UnreadCountView(unread)) : OrderNotFound(id);
    }

    private static async Task<Results<Ok<MessageView>, NotFoundProblem>> GetAsync(
        Guid id, Guid messageId, HttpContext http, ConversationStore store, CancellationToken cancellationToken)
    {
        var key = new MessageKey(id, messageId, http.User.UserId());
        var message = await store.FindAsync(key, cancellationToken);
        return message is null ? MessageNotFound(key) : TypedResults.Ok(message);
    }

    private static async Task<Results<Ok<MessageView>, ValidationProblem, NotFoundProblem, PayloadTooLargeProblem>> ChangeLabelsAsync(
        Guid id, Guid messageId, HttpContext http, JsonRequestBody body, ConversationStore store, CancellationToken cancellationToken)
    {
        var read = await ReadChangeAsync(http, body, LabelsFrom, cancellationToken);
        if (read.Change is not { } change)
        {
            return read.TooLarge is { } tooLarge ? tooLarge : read.Invalid!;
        }

        var key = new MessageKey(id, messageId, http.User.UserId());
        var result = await store.ChangeLabelsAsync(key, change, cancellationToken);
        if (result.Outcome == ChangeOutcome.TooManyLabels)
        {
            return Invalid(new Dictionary<string, string[]> { ["labels"] = [LabelRules.CountRule(result.LabelCount)] });
        }

        return Applied(result) is { } message ? TypedResults.Ok(message) : MessageNotFound(key);
    }

    private static async Task<Results<Ok<MessageView>, ValidationProblem, NotFoundProblem, PayloadTooLargeProblem>> SetReadAsync(
        Guid id, Guid messageId, HttpContext http, JsonRequestBody body, ConversationStore store, CancellationToken cancellationToken)
    {
        var read = await ReadChangeAsync(http, body, ReadStateFrom, cancellationToken);
        if (read.Change is not { } change)
        {
            return read.TooLarge is { } tooLarge ? tooLarge : read.Invalid!;
        }

        var key = new MessageKey(id, messageId, http.User.UserId());
        return Applied(await store.SetReadAsync(key, change.IsRead, cancellationToken)) is { } message ? TypedResults.Ok(message) : MessageNotFound(key);
    }

    private static async Task<Results<Ok<MessageView>, ValidationProblem, NotFoundProblem, ConflictProblem, PayloadTooLargeProblem>> SetArchivedAsync(
        Guid id, Guid messageId, HttpContext http, JsonRequestBody body, ConversationStore store, CancellationToken cancellationToken)
    {
        var read = await ReadChangeAsync(http, body, ArchiveFrom, cancellationToken);
        if (read.Change is not { } change)
        {
            return read.TooLarge is { } tooLarge ? tooLarge : read.Invalid!;
        }

        var key = new MessageKey(id, messageId, http.User.UserId());
        var result = await store.SetArchivedAsync(key, change.Archived, cancellationToken);
        if (result.Outcome == ChangeOutcome.AlreadySo)
        {
            // Archiving is a move, not a setting: repeating one means the client's view is stale, which it should hear.
            var archived = change.Archived;
            return new ConflictProblem(
                archived ? "The message is already archived." : "The message is not archived.",
                $"Message {messageId} of order {id} is {(archived ? "already archived" : "not archived")}.");
        }

        return Applied(result) is { } message ? TypedResults.Ok(message) : MessageNotFound(key);
    }

    // A PATCH body read, then parsed into the change it asks for; or the answer refusing it: over the limit, text that
    // cannot be taken, or not that change (the parser's problems, by field). The document is freed before the change is applied.
    private static async Task<BodyChange<T>> ReadChangeAsync<T>(
        HttpContext http, JsonRequestBody body, Func<JsonElement?, (T? Change, Dictionary<string, string[]> Problems)> parse, CancellationToken cancellationToken)
        where T : class
    {
        using var read = await body.ReadAsync(http.Request, cancellationToken);
        if (read.TooLarge is { } tooLarge)
        {
            return new BodyChange<T>(null, tooLarge, null);
        }

        if (read.BadText is { } badText)
        {
            return new BodyChange<T>(null, null, Invalid(badText));
        }

        var (change, problems) = parse(read.RootObject);
        return change is null ? new BodyChange<T>(null, null, Invalid(problems)) : new BodyChange<T>(change, null, null);
    }

    private static (ReadStateChange? Change, Dictionary<string, string[]> Problems) ReadStateFrom(JsonElement? json) =>
        ReadStateChange.From(json) is { } change ? (change, []) : (null, ReadStateChange.Problem());

    private static (ArchiveChange? Change, Dictionary<string, string[]> Problems) ArchiveFrom(JsonElement? json) =>
        ArchiveChange.From(json) is { } change ? (change, []) : (null, ArchiveChange.Problem());

    private static (LabelChange? Change, Dictionary<string, string[]> Problems) LabelsFrom(JsonElement? json) =>
        json is not { } body ? (null, JsonBody.NotAnObject())
        : LabelChange.TryParse(body, out var change, out var errors) ? (change, errors)
        : (null, errors);

    private static MessageView? Applied(ChangeResult result) => result.Outcome == ChangeOutcome.Applied ? result.Message : null;

    private static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.");

    private static NotFoundProblem OrderNotFound(Guid id) => new("No such order.", $"There is no order {id}.");

    private static NotFoundProblem MessageNotFound(MessageKey key) => new("No such message.", $"Order {key.OrderId} has no message {key.MessageId}.");

    /// <summary>A PATCH body's change, or the one answer refusing it.</summary>
    private sealed record BodyChange<T>(T? Change, PayloadTooLargeProblem? TooLarge, ValidationProblem? Invalid)
        where T : class;
}
