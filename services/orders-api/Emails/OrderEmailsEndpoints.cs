using Microsoft.AspNetCore.Http.HttpResults;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Http;
using OrdersMail.OrdersApi.Paging;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>
/// <c>GET /api/orders/{id}/emails</c>: all of an order's outbound emails, a page at a time, where the order carries only
/// its newest. Another user's order answers 404 exactly like one that does not exist.
/// </summary>
public static class OrderEmailsEndpoints
{
    /// <summary>The page size when <c>limit</c> is not given.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 100;

    /// <summary>Maps the route in the orders group.</summary>
    public static RouteGroupBuilder MapOrderEmails(this RouteGroupBuilder orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        orders.MapGet("/{id:guid}/emails", ListAsync)
            .WithName("ListOrderEmails")
            .WithSummary("The order's outbound emails and their delivery state, oldest first, a page at a time.")
            .WithQueryParameters(PageParameters.Of("Emails", DefaultLimit, MaxLimit));
        return orders;
    }

    /// <summary>The order's emails after <paramref name="cursor"/>, <paramref name="limit"/> (1–100, default 50) at a time.</summary>
    public static async Task<Results<Ok<OrderEmailPage>, ValidationProblem, NotFoundProblem>> ListAsync(
        Guid id, HttpContext context, OrderEmailReader reader, PageCursors cursors, string? limit, string? cursor)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(cursors);
        var scope = CursorScope.Emails(id, context.User.UserId());
        if (PageRequest.Read(limit, cursor, DefaultLimit, MaxLimit, cursors, scope, out var errors) is not { } request)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await reader.ListAsync(scope.UserId, id, request.After, request.Limit, context.RequestAborted);
        return page is null
            ? new NotFoundProblem("No such order.", $"There is no order {id}.")
            : TypedResults.Ok(new OrderEmailPage(page.Items, page.Next is { } next ? cursors.Write(next, scope) : null));
    }
}
