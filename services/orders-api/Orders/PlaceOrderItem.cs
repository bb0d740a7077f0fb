namespace OrdersMail.OrdersApi.Orders;

/// <summary>One line of a <see cref="PlaceOrderRequest"/>.</summary>
/// <param name="Sku">The product's stock-keeping unit.</param>
/// <param name="Name">The product's name as shown to the customer.</param>
/// <param name="Quantity">How many, at least one.</param>
/// <param name="UnitPrice">The price of one, in the order's currency, without trailing zeros.</param>
public sealed record PlaceOrderItem(string Sku, string Name, int Quantity, decimal UnitPrice);
