namespace OrdersMail.InboundRouter.Routing;

/// <summary>What routing a parked message to the order ops named came to (<see cref="ParkedMessages.RouteToOrderAsync"/>).</summary>
/// <param name="Result">What the re-route did, when the order could be taken: routed (now, or to that order before), still parked, dismissed before, or no such parked message.</param>
/// <param name="Refused">Why the order was refused, when it was: nothing was routed or published.</param>
/// <param name="RoutedBefore">The order the message went to before, when that is not the one named: nothing was routed now.</param>
public sealed record NamedRoute(RerouteResult? Result, NamedOrderRefusal? Refused, RoutedBefore? RoutedBefore = null);

/// <summary>Why a parked message is not routed to the order ops named.</summary>
public enum NamedOrderRefusal
{
    /// <summary>The router has learnt no order with that reference.</summary>
    UnknownOrder,

    /// <summary>The router has not learnt whose the email's inbox is, so it cannot tell the order is that customer's.</summary>
    InboxCustomerUnknown,

    /// <summary>The order is another customer's than the one whose inbox received the email.</summary>
    AnotherCustomersOrder,
}
