using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Orders;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// Places orders: the order, its lines and its <c>OrderCreated</c> outbox row in one transaction, then wakes
/// the relay. An Idempotency-Key makes a retry return the first order instead of placing another; the unique
/// (user_id, idempotency_key) constraint settles concurrent retries, so only one of them ever writes.
/// </summary>
/// <param name="dataSource">The service's database.</param>
/// <param name="outbox">Takes each order's event inside its transaction, and is woken once that has committed.</param>
/// <param name="logger">Where reference clashes are reported.</param>
/// <param name="nextReference">Draws an order reference (<see cref="OrderReferences.Next"/>; specs force clashes with their own).</param>
public sealed partial class OrderPlacement(NpgsqlDataSource dataSource, OutboxWriter outbox, ILogger<OrderPlacement> logger, Func<string> nextReference)
{
    /// <summary>How many references one order draws before giving up; each clashes with an existing order's with odds of 1 in 31^6 per order.</summary>
    public const int ReferenceAttempts = 5;

    private const string ReferenceConstraint = "orders_order_ref_key";
    private const string IdempotencyConstraint = "orders_user_id_idempotency_key_key";

    /// <summary>Places orders with random references.</summary>
    public OrderPlacement(NpgsqlDataSource dataSource, OutboxWriter outbox, ILogger<OrderPlacement> logger)
        : this(dataSource, outbox, logger, OrderReferences.Next)
    {
    }

    /// <summary>Places <paramref name="request"/> for <paramref name="userId"/>, or finds the order its key already placed.</summary>
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
                var id = await InsertAsync(userId, request, idempotencyKey, fingerprint, nextReference(), cancellationToken);
                outbox.Notify();
                return new PlacementResult(PlacementOutcome.Created, id);
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

    private async Task<Guid> InsertAsync(
        string userId, PlaceOrderRequest request, string? idempotencyKey, string? fingerprint, string orderRef, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var placedAt = await connection.QuerySingleAsync<DateTime>(new CommandDefinition(
            """
            insert into orders (id, order_ref, user_id, customer_email, customer_name, currency, total, idempotency_key, request_fingerprint, trace_parent)
            values (@Id, @OrderRef, @UserId, @CustomerEmail, @CustomerName, @Currency, @Total, @IdempotencyKey, @Fingerprint, @TraceParent)
            returning created_at
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
            },
            transaction,
            cancellationToken: cancellationToken));

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
        return id;
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
}
