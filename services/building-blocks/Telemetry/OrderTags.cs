using System.Diagnostics;

namespace OrdersMail.BuildingBlocks.Telemetry;

/// <summary>
/// The attributes every service puts on the spans that work for an order, so a trace viewer finds all of one
/// order's work by its reference, whichever service did it and whichever trace it is in.
/// </summary>
public static class OrderTags
{
    /// <summary>The order's reference, the one the customer sees (e.g. <c>OM-7KQ2XD</c>).</summary>
    public const string OrderRef = "ordersmail.order_ref";

    /// <summary>The order's id.</summary>
    public const string OrderId = "ordersmail.order_id";

    /// <summary>Tags <paramref name="activity"/> with what is known of its order; a null activity (nobody listening) or value is skipped.</summary>
    public static Activity? SetOrder(this Activity? activity, string? orderRef, Guid? orderId = null)
    {
        if (activity is null)
        {
            return null;
        }

        if (orderRef is { Length: > 0 })
        {
            activity.SetTag(OrderRef, orderRef);
        }

        if (orderId is { } id)
        {
            activity.SetTag(OrderId, id.ToString());
        }

        return activity;
    }
}
