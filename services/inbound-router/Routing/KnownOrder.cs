namespace OrdersMail.InboundRouter.Routing;

/// <summary>What the router learnt of an order from the bus: its id, its reference and the trace it was placed in.</summary>
/// <param name="OrderId">The order's id.</param>
/// <param name="OrderRef">The order's reference.</param>
/// <param name="TraceParent">The W3C <c>traceparent</c> of the order's trace, when it was learnt inside one.</param>
public sealed record KnownOrder(Guid OrderId, string OrderRef, string? TraceParent);
