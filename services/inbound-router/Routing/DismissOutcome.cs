namespace OrdersMail.InboundRouter.Routing;

/// <summary>What dismissing a parked message came to (<see cref="ParkedMessages.DismissAsync"/>).</summary>
public enum DismissOutcome
{
    /// <summary>Dismissed, now or before.</summary>
    Dismissed,

    /// <summary>Routed to an order since it was parked: nothing is left to dismiss.</summary>
    Routed,

    /// <summary>No message with that id is kept: never parked, or swept by retention.</summary>
    NotFound,
}
