namespace OrdersMail.Contracts.Orders;

/// <summary>
/// An order was accepted by orders-api. Published from the orders outbox after the order's transaction
/// committed, so it is never published for a rolled-back order. It may be delivered more than once
/// (the envelope's message id is the outbox row id and stays the same): consumers are idempotent on it.
/// </summary>
/// <param name="OrderId">The order's id, the correlation id of everything that follows from it.</param>
/// <param name="OrderRef">The human order reference (e.g. <c>ORD-7K3Q9X</c>); stamped on the customer's inbox as <c>metadata.order_ref</c>.</param>
/// <param name="UserId">The Clerk user id of the customer who placed the order; one inbox per user id.</param>
/// <param name="CustomerEmail">The customer's email address as given on the order; the only sender trusted with order details.</param>
/// <param name="CustomerName">The customer's display name, when the web app knows it.</param>
/// <param name="PlacedAt">When orders-api accepted the order; orders of one customer are ordered by it (newest wins).</param>
public sealed record OrderCreated(
    Guid OrderId,
    string OrderRef,
    string UserId,
    string CustomerEmail,
    string? CustomerName,
    DateTimeOffset PlacedAt);
