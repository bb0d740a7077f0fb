using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Orders;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// Places orders: the order, its lines and its <c>OrderCreated</c> outbox row in one transaction, then wakes
/// the relay. An Idempotency-Key makes a retry return the first order instead of placing another; the unique
/// (user_id, idempotency_key) constraint settles concurrent retries, so only one of them ever writes. A user who has
/// placed as many orders as <see cref="PlacementLimitOptions"/> allows within a minute or a day is refused, the count
/// taken in the order's own insert under a lock on the user that the transaction holds, so two requests at once (two
/// replicas) cannot both take the last place.
/// </summary>
/// <param name="dataSource">The service's database.</param>
/// <param name="limitsOptions">How many orders a user may place within a minute and a day.</param>
/// <param name="outbox">Takes each order's event inside its transaction, and is woken once that has committed.</param>
/// <param name="logger">Where reference clashes are reported.</param>
/// <param name="nextReference">Draws an order reference (<see cref="OrderReferences.Next"/>; specs force clashes with their own).</param>
public sealed partial class OrderPlacement(
    NpgsqlDataSource dataSource, IOptions<PlacementLimitOptions> limitsOptions, OutboxWriter outbox, ILogger<OrderPlacement> logger, Func<string> nextReference)
{
    /// <summary>How many references one order draws before giving up; each clashes with an existing order's with odds of 1 in 31^6 per order.</summary>
    public const int ReferenceAttempts = 5;

    private const string ReferenceConstraint = "orders_order_ref_key";
    private const string IdempotencyConstraint = "orders_user_id_idempotency_key_key";

    /// <summary>Places orders with random references.</summary>
    public OrderPlacement(NpgsqlDataSource dataSource, IOptions<PlacementLimitOptions> limits, OutboxWriter outbox, ILogger<OrderPlacement> logger)
        : this(dataSource, limits, outbox, logger, OrderReferences.Next)
    {
    }

    /// <summary>
    /// Places <paramref name="request"/> for <paramref name="userId"/>, or finds the order its key already placed (a retry is
    /// never counted against the limits, nor refused by them), or refuses it when the user's orders reach a limit.
    /// </summary>
    public async Task<PlacementResult> PlaceAsync(string userId, PlaceOrderRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fingerprint = idempotencyKey is null ? null : request.Fingerprint();
        if (idempotencyKey is not null && await FindByKeyAsync(userId, idempotencyKey, cancellationToken) is { } earlier)
        {
            return Replay(earlier, fingerprint);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var placed = await InsertAsync(userId, request, idempotencyKey, fingerprint, nextReference(), cancellationToken);
                if (placed.Outcome == PlacementOutcome.Created)
                {
                    outbox.Notify();
                    return placed;
                }

                // A concurrent request with the same key may have committed its order, the last one allowed, while this one
                // waited for the user's lock: this one is its retry, not a new order.
                return idempotencyKey is not null && await FindByKeyAsync(userId, idempotencyKey, cancellationToken) is { } winner
                    ? Replay(winner, fingerprint)
                    : placed;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == IdempotencyConstraint)
            {
                // A concurrent request with the same key committed first: this one is its retry.
                var winner = await FindByKeyAsync(userId, idempotencyKey!, cancellationToken)
                    ?? throw new InvalidOperationException($"Order with Idempotency-Key '{idempotencyKey}' clashed on insert but cannot be read back.", e);
                return Replay(winner, fingerprint);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == ReferenceConstraint && attempt < ReferenceAttempts)
            {
                LogReferenceTaken(logger, attempt);
            }
        }
    }

    private static PlacementResult Replay(KeyedOrder earlier, string? fingerprint) =>
        new(earlier.Fingerprint == fingerprint ? PlacementOutcome.Replayed : PlacementOutcome.KeyReused, earlier.Id);

    private static PlacementResult Refused(LimitedInsert inserted, PlacementLimitOptions limits)
    {
        var minute = inserted.MinuteWait > 0 ? new PlacementLimitReached(nameof(limits.PerMinute), limits.PerMinute, PlacementLimitOptions.Minute, TimeSpan.FromSeconds(inserted.MinuteWait.Value)) : null;
        var day = inserted.DayWait > 0 ? new PlacementLimitReached(nameof(limits.PerDay), limits.PerDay, PlacementLimitOptions.Day, TimeSpan.FromSeconds(inserted.DayWait.Value)) : null;

        // With both reached, the one that frees a place later is the one to wait for.
        var reached = minute is null || (day is not null && day.RetryAfter > minute.RetryAfter) ? day : minute;
        return new PlacementResult(PlacementOutcome.LimitReached, Guid.Empty, reached
            ?? throw new InvalidOperationException("The order was not inserted, yet no limit is reached."));
    }

    private async Task<PlacementResult> InsertAsync(
        string userId, PlaceOrderRequest request, string? idempotencyKey, string? fingerprint, string orderRef, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var limits = limitsOptions.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The one statement placing adds: the user's orders are counted only by a transaction holding this lock, and it is
        // held until the order commits, so the next request of the user counts it.
        await connection.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_xact_lock(hashtextextended('order-placement ' || @UserId, 0))",
            new { UserId = userId },
            transaction,
            cancellationToken: cancellationToken));

        // A statement of its own, after the lock: read committed reads what committed before each statement starts, so an
        // order committed while this transaction waited for the lock is counted. A limit of N is reached when the user's
        // N-th newest order is still within its window (orders_of_user reads the user's newest first); the wait is until
        // it leaves the window.
        var inserted = await connection.QuerySingleAsync<LimitedInsert>(new CommandDefinition(
            """
            with waits as (
                select (select created_at from orders where user_id = @UserId order by created_at desc, id desc offset @PerMinute - 1 limit 1) + @Minute - now() as minute_wait,
                       (select created_at from orders where user_id = @UserId order by created_at desc, id desc offset @PerDay - 1 limit 1) + @Day - now() as day_wait
            ), placed as (
                insert into orders (id, order_ref, user_id, customer_email, customer_name, currency, total, idempotency_key, request_fingerprint, trace_parent)
                select @Id, @OrderRef, @UserId, @CustomerEmail, @CustomerName, @Currency, @Total, @IdempotencyKey, @Fingerprint, @TraceParent
                from waits
                where coalesce(minute_wait <= interval '0', true) and coalesce(day_wait <= interval '0', true)
                returning created_at
            )
            select (select created_at from placed) as PlacedAt,
                   extract(epoch from minute_wait)::float8 as MinuteWait,
                   extract(epoch from day_wait)::float8 as DayWait
            from waits
            """,
            new
            {
                Id = id,
                OrderRef = orderRef,
                UserId = userId,
                request.CustomerEmail,
                request.CustomerName,
                request.Currency,
                request.Total,
                IdempotencyKey = idempotencyKey,
                Fingerprint = fingerprint,
                TraceParent = TraceParents.Current(),
                limits.PerMinute,
                limits.PerDay,
                PlacementLimitOptions.Minute,
                PlacementLimitOptions.Day,
            },
            transaction,
            cancellationToken: cancellationToken));
        if (inserted.PlacedAt is not { } placedAt)
        {
            return Refused(inserted, limits);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into order_items (order_id, line, sku, name, quantity, unit_price)
            select @OrderId, i.line, i.sku, i.name, i.quantity, i.unit_price
            from unnest(@Lines, @Skus, @Names, @Quantities, @UnitPrices) as i (line, sku, name, quantity, unit_price)
            """,
            new
            {
                OrderId = id,
                Lines = Enumerable.Range(1, request.Items.Count).ToArray(),
                Skus = request.Items.Select(i => i.Sku).ToArray(),
                Names = request.Items.Select(i => i.Name).ToArray(),
                Quantities = request.Items.Select(i => i.Quantity).ToArray(),
                UnitPrices = request.Items.Select(i => i.UnitPrice).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));

        var created = new OrderCreated(id, orderRef, userId, request.CustomerEmail, request.CustomerName, new DateTimeOffset(placedAt, TimeSpan.Zero));
        await outbox.AddAsync(transaction, created, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return new PlacementResult(PlacementOutcome.Created, id);
    }

    private async Task<KeyedOrder?> FindByKeyAsync(string userId, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<KeyedOrder>(new CommandDefinition(
            "select id as Id, request_fingerprint as Fingerprint from orders where user_id = @UserId and idempotency_key = @IdempotencyKey",
            new { UserId = userId, IdempotencyKey = idempotencyKey },
            cancellationToken: cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order reference already taken (attempt {Attempt}); drawing another")]
    private static partial void LogReferenceTaken(ILogger logger, int attempt);

    private sealed record KeyedOrder(Guid Id, string? Fingerprint);

    // The order's insert: when it was placed, or nothing and the seconds until each reached limit frees a place (null for
    // a limit the user's orders do not reach).
    private sealed record LimitedInsert(DateTime? PlacedAt, double? MinuteWait, double? DayWait);
}
