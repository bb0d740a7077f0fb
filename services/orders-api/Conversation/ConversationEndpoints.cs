using System.Text.Json;
using OrdersMail.OrdersApi.Authentication;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>
/// <c>/api/orders/{id}/messages</c>: an order's conversation for its owner. An order that is not the caller's answers
/// exactly like one that does not exist (404), so ids of other users' orders cannot be probed. A malformed request is
/// answered 400 before any order is looked at; it says nothing about orders.
/// </summary>
internal static class ConversationEndpoints
{
    private static readonly JsonSerializerOptions Json = ApiJson.Options;

    public static void Map(RouteGroupBuilder orders)
    {
        var messages = orders.MapGroup("/{id:guid}/messages").WithTags("Conversation");
        messages.MapGet("", ListAsync).WithName("ListOrderMessages").WithSummary("The order's messages, oldest first, a page at a time.");
        messages.MapGet("/unread-count", UnreadCountAsync).WithName("CountUnreadOrderMessages").WithSummary("How many unarchived messages are unread.");
        messages.MapGet("/{messageId:guid}", GetAsync).WithName("GetOrderMessage").WithSummary("One message with its body.");
        messages.MapPatch("/{messageId:guid}/labels", ChangeLabelsAsync).WithName("ChangeOrderMessageLabels").WithSummary("Adds, then removes, labels.");
        messages.MapPatch("/{messageId:guid}/read", SetReadAsync).WithName("SetOrderMessageRead").WithSummary("Marks the message read or unread.");
        messages.MapPatch("/{messageId:guid}/archive", SetArchivedAsync).WithName("SetOrderMessageArchived").WithSummary("Archives or unarchives the message.");
    }

    private static async Task<IResult> ListAsync(Guid id, HttpContext http, ConversationStore store, CancellationToken cancellationToken)
    {
        if (!MessageQuery.TryParse(http.Request.Query, out var query, out var errors))
        {
            return Invalid(errors);
        }

        if (!await store.OrderIsOwnedAsync(id, http.User.UserId(), cancellationToken))
        {
            return OrderNotFound(id);
        }

        return Results.Json(await store.ListAsync(id, query, cancellationToken), Json);
    }

    private static async Task<IResult> UnreadCountAsync(Guid id, HttpContext http, ConversationStore store, CancellationToken cancellationToken)
    {
        var count = await store.UnreadCountAsync(id, http.User.UserId(), cancellationToken);
        return count is { } unread ? Results.Json(new UnreadCountView(unread), Json) : OrderNotFound(id);
    }

    private static async Task<IResult> GetAsync(Guid id, Guid messageId, HttpContext http, ConversationStore store, CancellationToken cancellationToken)
    {
        var message = await store.FindAsync(new MessageKey(id, messageId, http.User.UserId()), cancellationToken);
        return message is null ? MessageNotFound(id, messageId) : Results.Json(message, Json);
    }

    private static async Task<IResult> ChangeLabelsAsync(Guid id, Guid messageId, HttpContext http, ConversationStore store, CancellationToken cancellationToken)
    {
        if (await JsonBody.ReadObjectAsync(http.Request, cancellationToken) is not { } body)
        {
            return Invalid(JsonBody.NotAnObject());
        }

        if (!LabelChange.TryParse(body, out var change, out var errors))
        {
            return Invalid(errors);
        }

        var key = new MessageKey(id, messageId, http.User.UserId());
        var result = await store.ChangeLabelsAsync(key, change, cancellationToken);
        return result.Outcome == ChangeOutcome.TooManyLabels
            ? Invalid(new Dictionary<string, string[]> { ["labels"] = [LabelRules.CountRule(result.LabelCount)] })
            : Answer(key, result);
    }

    private static async Task<IResult> SetReadAsync(Guid id, Guid messageId, HttpContext http, ConversationStore store, CancellationToken cancellationToken)
    {
        if (await ReadFlagAsync(http.Request, "is_read", cancellationToken) is not { } isRead)
        {
            return Invalid(new Dictionary<string, string[]> { ["is_read"] = ["is_read is required and must be true or false."] });
        }

        var key = new MessageKey(id, messageId, http.User.UserId());
        return Answer(key, await store.SetReadAsync(key, isRead, cancellationToken));
    }

    private static async Task<IResult> SetArchivedAsync(Guid id, Guid messageId, HttpContext http, ConversationStore store, CancellationToken cancellationToken)
    {
        if (await ReadFlagAsync(http.Request, "archived", cancellationToken) is not { } archived)
        {
            return Invalid(new Dictionary<string, string[]> { ["archived"] = ["archived is required and must be true or false."] });
        }

        var key = new MessageKey(id, messageId, http.User.UserId());
        var result = await store.SetArchivedAsync(key, archived, cancellationToken);
        if (result.Outcome != ChangeOutcome.AlreadySo)
        {
            return Answer(key, result);
        }

        // Archiving is a move, not a setting: repeating one means the client's view is stale, which it should hear.
        return Results.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: archived ? "The message is already archived." : "The message is not archived.",
            detail: $"Message {messageId} of order {id} is {(archived ? "already archived" : "not archived")}.");
    }

    private static async Task<bool?> ReadFlagAsync(HttpRequest request, string name, CancellationToken cancellationToken) =>
        await JsonBody.ReadObjectAsync(request, cancellationToken) is { } body ? JsonBody.Flag(body, name) : null;

    private static IResult Answer(MessageKey key, ChangeResult result) =>
        result is { Outcome: ChangeOutcome.Applied, Message: { } message } ? Results.Json(message, Json) : MessageNotFound(key.OrderId, key.MessageId);

    private static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "The request is not valid.");

    private static IResult OrderNotFound(Guid id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such order.", detail: $"There is no order {id}.");

    private static IResult MessageNotFound(Guid id, Guid messageId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such message.", detail: $"Order {id} has no message {messageId}.");
}
