namespace OrdersMail.OrdersApi.Orders;

/// <summary>Why an order was refused: which of <see cref="PlacementLimitOptions"/>' limits the user's orders already reach.</summary>
/// <param name="Setting">The setting's name, <c>PerMinute</c> or <c>PerDay</c>.</param>
/// <param name="MaxOrders">Its value: the orders allowed within <paramref name="Window"/>.</param>
/// <param name="Window">The window it counts in.</param>
/// <param name="RetryAfter">How long until enough of the counted orders have left the window for one more.</param>
public sealed record PlacementLimitReached(string Setting, int MaxOrders, TimeSpan Window, TimeSpan RetryAfter);
