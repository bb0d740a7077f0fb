using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Contracts.Orders;

namespace OrdersMail.OrdersApi.Outbox;

/// <summary>orders-api's outbox (the building blocks' <c>AddOutbox</c>, in schema <c>orders</c>).</summary>
public static class OrdersOutbox
{
    /// <summary>The events orders-api publishes through its outbox.</summary>
    public static readonly OutboxMessageTypes Messages = new(typeof(OrderCreated));
}
