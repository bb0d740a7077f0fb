using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// One line of a <see cref="PlaceOrderRequest"/>, and of the <see cref="PlaceOrderBody"/> the OpenAPI document describes.
/// <see cref="PlaceOrderValidation"/> takes JSON numbers only, so the document must not say what the web JSON defaults
/// would (a number or a numeric string), and the annotations carry its bounds there; nothing validates by them.
/// </summary>
/// <param name="Sku">The product's stock-keeping unit.</param>
/// <param name="Name">The product's name as shown to the customer.</param>
/// <param name="Quantity">How many, at least one.</param>
/// <param name="UnitPrice">The price of one, in the order's currency, with at most 4 decimals. The document gives no
/// <c>multipleOf: 0.0001</c> for that: validators test it in binary floating point, where 0.3 is no multiple of 0.0001,
/// so a client generated from it would refuse good prices.</param>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record PlaceOrderItem(
    [property: MaxLength(PlaceOrderValidation.MaxSkuLength), RegularExpression(PlaceOrderBody.NotBlank)] string Sku,
    [property: MaxLength(PlaceOrderValidation.MaxNameLength), RegularExpression(PlaceOrderBody.NotBlank)] string Name,
    [property: Range(1, int.MaxValue)] int Quantity,
    [property: Range(0d, PlaceOrderValidation.MoneyLimit, MaximumIsExclusive = true)] decimal UnitPrice);
