using System.Text.Json.Serialization;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>One page of <c>GET /api/orders</c>: the caller's orders, newest first.</summary>
/// <param name="Orders">This page.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; absent on the last one.</param>
public sealed record OrderList(
    IReadOnlyList<OrderView> Orders,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextCursor);
