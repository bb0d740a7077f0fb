using OrdersMail.BuildingBlocks.Delivery;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>
/// The forward-only rule of delivery state. Every state has a rank (<see cref="DeliveryStates.Rank"/>), and an
/// email moves only to a higher rank: queued → sent → delivery_delayed → delivered, and bounced, complained and
/// failed above all of those, so they win over delivered and nothing on the way to delivery replaces them. The
/// ranks are a total order (bounced &lt; complained &lt; failed between the finals) so that the end state depends
/// only on which events arrived, never on their order or on how often each came.
/// </summary>
public static class DeliveryProgress
{
    /// <summary>True when an email in <paramref name="current"/> moves to <paramref name="next"/>.</summary>
    public static bool Advances(DeliveryState current, DeliveryState next) => DeliveryStates.Rank(next) > DeliveryStates.Rank(current);
}
