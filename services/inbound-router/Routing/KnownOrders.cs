namespace OrdersMail.InboundRouter.Routing;

/// <summary>What <see cref="OrderLookup.FindOrdersAsync"/> found: orders by id, and the order of each (stamp, time placed by).</summary>
public sealed record KnownOrders(IReadOnlyDictionary<Guid, KnownOrder> ById, IReadOnlyDictionary<(string OrderRef, DateTimeOffset PlacedBy), StampedOrder> ByStamp);
