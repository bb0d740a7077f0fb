namespace OrdersMail.OrdersApi.Orders;

/// <summary>What placing an order came to.</summary>
/// <param name="Outcome">Created, replayed or refused.</param>
/// <param name="OrderId">The order created, or the one the Idempotency-Key already belongs to; empty when a limit refused it.</param>
/// <param name="LimitReached">The limit that refused it, with <see cref="PlacementOutcome.LimitReached"/>.</param>
public sealed record PlacementResult(PlacementOutcome Outcome, Guid OrderId, PlacementLimitReached? LimitReached = null);

/// <summary>See <see cref="PlacementResult"/>.</summary>
public enum PlacementOutcome
{
    /// <summary>A new order was written, with its <c>OrderCreated</c> event.</summary>
    Created,

    /// <summary>The Idempotency-Key already placed this very order; nothing was written.</summary>
    Replayed,

    /// <summary>The Idempotency-Key already placed a different order; nothing was written.</summary>
    KeyReused,

    /// <summary>The user has placed as many orders as <see cref="PlacementLimitOptions"/> allows for now; nothing was written.</summary>
    LimitReached,
}
