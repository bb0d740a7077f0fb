namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// The order an inbox's <c>metadata.order_ref</c> names, as the router knows it, for one email: the stamp is the
/// customer's newest order now, which is not the one a late-routed email (recovered missed mail, a parked one routed
/// again) was written about when the customer placed it after the email was received.
/// </summary>
/// <param name="Stamp">The order the stamp names.</param>
/// <param name="PlacedAfter">
/// The stamp's order was placed after the email was received (beyond <see cref="RoutingOptions.OrderClockSkew"/>);
/// false when its placing time is unknown (learnt before the router kept it), which routes by the stamp as before.
/// </param>
/// <param name="PlacedBefore">
/// When <paramref name="PlacedAfter"/>, the customer's newest order placed by the time the email was received, if the
/// router knows one with its placing time.
/// </param>
public sealed record StampedOrder(KnownOrder Stamp, bool PlacedAfter, KnownOrder? PlacedBefore);
