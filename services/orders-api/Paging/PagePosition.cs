namespace OrdersMail.OrdersApi.Paging;

/// <summary>
/// Where a page of a keyset listing ended: the last item's time and id, the listing's sort key (orders by
/// <c>created_at</c>, messages by <c>received_at</c>). A position, not an offset, stays right while items arrive
/// between two pages.
/// </summary>
/// <param name="At">The last item's time (UTC, to the microsecond PostgreSQL keeps).</param>
/// <param name="Id">The last item's id, breaking ties between items of the same microsecond.</param>
public sealed record PagePosition(DateTime At, Guid Id);
