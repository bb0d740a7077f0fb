namespace OrdersMail.OrdersApi.Orders;

/// <summary>One line of an <see cref="OrderView"/>.</summary>
/// <param name="Sku">The product's stock-keeping unit.</param>
/// <param name="Name">The product's name.</param>
/// <param name="Quantity">How many.</param>
/// <param name="UnitPrice">The price of one.</param>
/// <param name="Amount">The line's amount: <paramref name="Quantity"/> times <paramref name="UnitPrice"/>, worked out in decimal.</param>
/// <param name="UnitPriceText">
/// The price of one with its currency, as the confirmation writes it (<see cref="MoneyText"/>). Exact: an amount may have
/// 19 significant digits, which a JSON number read as a double (a browser's) does not hold.
/// </param>
/// <param name="AmountText">The line's amount, written so too.</param>
public sealed record OrderItemView(
    string Sku,
    string Name,
    int Quantity,
    decimal UnitPrice,
    decimal Amount,
    string UnitPriceText,
    string AmountText);
