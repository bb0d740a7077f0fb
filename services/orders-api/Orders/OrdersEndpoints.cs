using System.Globalization;
using System.Text.Json;
using OrdersMail.OrdersApi.Authentication;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// <c>POST /api/orders</c>, <c>GET /api/orders</c> and <c>GET /api/orders/{id}</c>. Errors are problem+json;
/// another user's order answers 404 exactly like one that does not exist, so ids reveal nothing.
/// </summary>
public static class OrdersEndpoints
{
    /// <summary>The header that makes a POST safe to retry.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Set to <c>true</c> on the answer to a retried POST (the order was placed by an earlier request).</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The longest Idempotency-Key.</summary>
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>The page size when <c>limit</c> is not given.</summary>
    public const int DefaultLimit = 20;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 100;

    /// <summary>
    /// Places an order: 201 with <c>Location</c> and the order. A retry with the same Idempotency-Key and the
    /// same order answers 200 with the first order (and <c>Idempotent-Replayed: true</c>); with another order, 409.
    /// </summary>
    public static async Task<IResult> PlaceAsync(HttpContext context, OrderPlacement placement, OrderReader reader)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(reader);
        var cancellationToken = context.RequestAborted;

        if (!TryReadIdempotencyKey(context.Request, out var idempotencyKey))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                [IdempotencyKeyHeader] = [$"must be sent once, with 1 to {MaxIdempotencyKeyLength} characters, not all blank"],
            });
        }

        if (!context.Request.HasJsonContentType())
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be JSON (Content-Type: application/json).");
        }

        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(context.Request.Body, default, cancellationToken);
        }
        catch (JsonException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not valid JSON.", detail: e.Message);
        }

        PlaceOrderRequest? request;
        Dictionary<string, string[]> errors;
        using (body)
        {
            if (!PlaceOrderValidation.TryValidate(body.RootElement, out request, out errors))
            {
                return Results.ValidationProblem(errors);
            }
        }

        var userId = context.User.UserId();
        var placed = await placement.PlaceAsync(userId, request, idempotencyKey, cancellationToken);
        if (placed.Outcome == PlacementOutcome.KeyReused)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "This Idempotency-Key was already used for a different order.",
                detail: $"Use a new {IdempotencyKeyHeader} for a new order; the key's order is {Location(placed.OrderId)}.");
        }

        var view = await reader.FindAsync(userId, placed.OrderId, cancellationToken)
            ?? throw new InvalidOperationException($"Order {placed.OrderId} was placed but cannot be read back.");
        context.Response.Headers.Location = Location(placed.OrderId);
        if (placed.Outcome == PlacementOutcome.Replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
            return Results.Json(view, ApiJson.Options, statusCode: StatusCodes.Status200OK);
        }

        return Results.Json(view, ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The caller's orders, newest first, <paramref name="limit"/> (1–100, default 20) at a time.</summary>
    public static async Task<IResult> ListAsync(HttpContext context, OrderReader reader, string? limit, string? cursor)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reader);
        var errors = new Dictionary<string, string[]>();

        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"must be a whole number from 1 to {MaxLimit}"];
        }

        OrderCursor? after = null;
        if (cursor is not null && !OrderCursor.TryDecode(cursor, out after))
        {
            errors["cursor"] = ["must be a next_cursor this API returned"];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var page = await reader.ListAsync(context.User.UserId(), after, size, context.RequestAborted);
        return Results.Json(page, ApiJson.Options);
    }

    /// <summary>One of the caller's orders; 404 for anyone else's, as for an unknown id.</summary>
    public static async Task<IResult> GetAsync(HttpContext context, OrderReader reader, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reader);
        var view = Guid.TryParse(id, out var orderId)
            ? await reader.FindAsync(context.User.UserId(), orderId, context.RequestAborted)
            : null;
        return view is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such order.")
            : Results.Json(view, ApiJson.Options);
    }

    private static string Location(Guid orderId) => $"{OrdersApiComposition.OrdersRoute}/{orderId}";

    private static bool TryReadIdempotencyKey(HttpRequest request, out string? key)
    {
        var values = request.Headers[IdempotencyKeyHeader];
        key = values.Count == 1 ? values[0] : null;
        return values.Count == 0 || (!string.IsNullOrWhiteSpace(key) && key.Length <= MaxIdempotencyKeyLength);
    }
}
