namespace OrdersMail.OrdersApi.Paging;

/// <summary>One page of a keyset listing as the store reads it; the endpoint turns <paramref name="Next"/> into a cursor.</summary>
/// <typeparam name="T">What is listed.</typeparam>
/// <param name="Items">The page.</param>
/// <param name="Next">Where the next page starts; null on the last page.</param>
public sealed record KeysetPage<T>(IReadOnlyList<T> Items, PagePosition? Next);
