namespace OrdersMail.OrdersApi.Paging;

/// <summary>The listing a cursor belongs to: a cursor is only ever taken back by the list and the user it was written for.</summary>
/// <param name="List">Which listing (<c>orders</c>, <c>orders/{id}/messages</c>, <c>orders/{id}/emails</c>).</param>
/// <param name="UserId">The caller it was written for.</param>
public sealed record CursorScope(string List, string UserId)
{
    /// <summary>The caller's orders.</summary>
    public static CursorScope Orders(string userId) => new("orders", userId);

    /// <summary>One order's messages, as its owner lists them.</summary>
    public static CursorScope Messages(Guid orderId, string userId) => new($"orders/{orderId:N}/messages", userId);

    /// <summary>One order's outbound emails, as its owner lists them.</summary>
    public static CursorScope Emails(Guid orderId, string userId) => new($"orders/{orderId:N}/emails", userId);
}
