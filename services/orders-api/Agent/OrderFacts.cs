namespace OrdersMail.OrdersApi.Agent;

/// <summary>What the agent may tell the order's verified sender about it, read from the order's real data.</summary>
/// <param name="OrderRef">The human reference.</param>
/// <param name="Status">The order's status.</param>
/// <param name="CustomerName">The customer's name, if given.</param>
/// <param name="Currency">The ISO 4217 code of the amounts.</param>
/// <param name="Total">The order's total.</param>
/// <param name="Items">The lines.</param>
/// <param name="ReplyAddress">The customer's own inbox, once provisioned.</param>
/// <param name="ConfirmationState">
/// The confirmation email's furthest delivery state; <see cref="ConfirmationWording.GivenUp"/> when its claim was given up
/// unwritten; null when none is known yet.
/// </param>
public sealed record OrderFacts(
    string OrderRef,
    string Status,
    string? CustomerName,
    string Currency,
    decimal Total,
    IReadOnlyList<OrderFactsItem> Items,
    string? ReplyAddress,
    string? ConfirmationState);

/// <summary>One line of <see cref="OrderFacts"/>.</summary>
/// <param name="Name">The product.</param>
/// <param name="Quantity">How many.</param>
/// <param name="UnitPrice">The price of one.</param>
public sealed record OrderFactsItem(string Name, int Quantity, decimal UnitPrice);
