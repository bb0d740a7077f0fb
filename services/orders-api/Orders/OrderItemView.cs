namespace OrdersMail.OrdersApi.Orders;

/// <summary>One line of an <see cref="OrderView"/>.</summary>
/// <param name="Sku">The product's stock-keeping unit.</param>
/// <param name="Name">The product's name.</param>
/// <param name="Quantity">How many.</param>
/// <param name="UnitPrice">The price of one.</param>
public sealed record OrderItemView(string Sku, string Name, int Quantity, decimal UnitPrice);
