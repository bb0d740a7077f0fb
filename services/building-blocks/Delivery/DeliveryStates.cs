using System.Text.Json;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.BuildingBlocks.Delivery;

/// <summary>
/// How an email's delivery state is stored and shown, and its rank, for every service that keeps one (orders-api's
/// <c>order_emails.state</c>/<c>state_rank</c>, delivery-tracker's <c>outbound_emails.delivery_state</c>/<c>delivery_rank</c>):
/// one definition, so the two never store one state under two names. A state replaces a stored one only when its
/// rank is higher, so a late <c>Sent</c> never replaces <c>Delivered</c>. The rank is the contract's own order
/// (<see cref="DeliveryState"/>'s values): queued 1 &lt; sent 2 &lt; delivery_delayed 3 &lt; delivered 4 &lt; bounced 5
/// &lt; complained 6 &lt; failed 7. Complained outranks delivered because a complaint comes after delivery; failed
/// (the relay gave up) is final. Rows already hold these names and ranks, so they never change.
/// </summary>
public static class DeliveryStates
{
    /// <summary>The state's rank; higher wins.</summary>
    public static int Rank(DeliveryState state) => (int)state;

    /// <summary>The state as stored and shown: <c>queued</c>, <c>delivery_delayed</c>...</summary>
    public static string Name(DeliveryState state) => JsonNamingPolicy.SnakeCaseLower.ConvertName(state.ToString());
}
