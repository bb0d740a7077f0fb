using Microsoft.AspNetCore.Http.HttpResults;
using OrdersMail.BuildingBlocks.Http;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Http;
using OrdersMail.OrdersApi.Paging;
// A Results<...> union takes at most six answers: placing an order's two refusals of its body (413, 415) count as one.
using BodyRefusal = Microsoft.AspNetCore.Http.HttpResults.Results<OrdersMail.OrdersApi.Http.PayloadTooLargeProblem, OrdersMail.OrdersApi.Http.UnsupportedMediaTypeProblem>;

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
    /// same order answers 200 with the first order (and <c>Idempotent-Replayed: true</c>); with another order, 409. A new
    /// order past the caller's placement limits answers 429 with <c>Retry-After</c>, nothing placed.
    /// </summary>
    public static async Task<Results<Created<OrderView>, Ok<OrderView>, ValidationProblem, ConflictProblem, TooManyOrdersProblem, BodyRefusal>> PlaceAsync(
        HttpContext context, JsonRequestBody body, OrderPlacement placement, OrderReader reader, OrderPlacementTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(telemetry);
        var cancellationToken = context.RequestAborted;

        if (!TryReadIdempotencyKey(context.Request, out var idempotencyKey))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [IdempotencyKeyHeader] = [$"must be sent once, with 1 to {MaxIdempotencyKeyLength} characters, not all blank"],
            });
        }

        if (!context.Request.HasJsonContentType())
        {
            return (BodyRefusal)new UnsupportedMediaTypeProblem();
        }

        PlaceOrderRequest? request;
        using (var read = await body.ReadAsync(context.Request, cancellationToken))
        {
            if (read.TooLarge is { } tooLarge)
            {
                return (BodyRefusal)tooLarge;
            }

            if (read.Document is not { } document)
            {
                return read.BadText is { } badText
                    ? TypedResults.ValidationProblem(badText)
                    : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["must be valid JSON"] }, read.NotJson, title: "The body is not valid JSON.");
            }

            if (!PlaceOrderValidation.TryValidate(document.RootElement, out request, out var errors))
            {
                return TypedResults.ValidationProblem(errors);
            }
        }

        var userId = context.User.UserId();
        using var placing = telemetry.StartPlacing();
        var placed = await placement.PlaceAsync(userId, request, idempotencyKey, cancellationToken);
        if (placed.Outcome == PlacementOutcome.KeyReused)
        {
            telemetry.Placed(placing, placed.Outcome, null, placed.OrderId);
            return new ConflictProblem(
                "This Idempotency-Key was already used for a different order.",
                $"Use a new {IdempotencyKeyHeader} for a new order; the key's order is {Location(placed.OrderId)}.");
        }

        if (placed.LimitReached is { } reached)
        {
            telemetry.Placed(placing, placed.Outcome, null, null);
            return new TooManyOrdersProblem(reached);
        }

        var view = await reader.FindAsync(userId, placed.OrderId, cancellationToken)
            ?? throw new InvalidOperationException($"Order {placed.OrderId} was placed but cannot be read back.");
        telemetry.Placed(placing, placed.Outcome, view.OrderRef, placed.OrderId);
        if (placed.Outcome == PlacementOutcome.Replayed)
        {
            context.Response.Headers.Location = Location(placed.OrderId);
            context.Response.Headers[ReplayedHeader] = "true";
            return TypedResults.Ok(view);
        }

        return TypedResults.Created(Location(placed.OrderId), view);
    }

    /// <summary>The caller's orders, newest first, <paramref name="limit"/> (1–100, default 20) at a time.</summary>
    public static async Task<Results<Ok<OrderList>, ValidationProblem>> ListAsync(
        HttpContext context, OrderReader reader, PageCursors cursors, string? limit, string? cursor)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(cursors);
        var scope = CursorScope.Orders(context.User.UserId());
        if (PageRequest.Read(limit, cursor, DefaultLimit, MaxLimit, cursors, scope, out var errors) is not { } request)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await reader.ListAsync(scope.UserId, request.After, request.Limit, context.RequestAborted);
        return TypedResults.Ok(new OrderList(page.Items, page.Next is { } next ? cursors.Write(next, scope) : null));
    }

    /// <summary>One of the caller's orders; 404 for anyone else's, as for an unknown id.</summary>
    public static async Task<Results<Ok<OrderView>, NotFoundProblem>> GetAsync(HttpContext context, OrderReader reader, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reader);
        var view = Guid.TryParse(id, out var orderId)
            ? await reader.FindAsync(context.User.UserId(), orderId, context.RequestAborted)
            : null;
        return view is null
            ? new NotFoundProblem("No such order.")
            : TypedResults.Ok(view);
    }

    private static string Location(Guid orderId) => $"{OrdersApiComposition.OrdersRoute}/{orderId}";

    private static bool TryReadIdempotencyKey(HttpRequest request, out string? key)
    {
        var values = request.Headers[IdempotencyKeyHeader];
        key = values.Count == 1 ? values[0] : null;
        return values.Count == 0 || (!string.IsNullOrWhiteSpace(key) && key.Length <= MaxIdempotencyKeyLength);
    }
}
