namespace OrdersMail.InboundRouter.Routing;

/// <summary>The order a parked message was routed to before a request that named another (<see cref="ParkedMessages.RouteToOrderAsync"/>).</summary>
/// <param name="OrderId">The order's id, as the route that sent it there answered.</param>
/// <param name="OrderRef">The order's reference, when the router knows it.</param>
public sealed record RoutedBefore(Guid? OrderId, string? OrderRef);
