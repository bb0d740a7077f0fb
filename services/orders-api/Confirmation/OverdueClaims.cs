namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>What one look for overdue orders claimed.</summary>
/// <param name="Orders">The confirmations it claimed, to be written.</param>
/// <param name="Found">Orders it found without a confirmation (some may have been claimed by a racing consumer meanwhile).</param>
/// <param name="OverdueBefore">It looked at orders placed before this instant (the database's clock).</param>
public sealed record OverdueClaims(IReadOnlyList<ConfirmationOrder> Orders, int Found, DateTime OverdueBefore);
