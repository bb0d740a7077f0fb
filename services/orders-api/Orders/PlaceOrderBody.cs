using System.ComponentModel.DataAnnotations;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// The <c>POST /api/orders</c> body as the OpenAPI document describes it. The body is not bound to it: it is read by
/// <see cref="PlaceOrderValidation"/>, which names every wrong field by its path, wrong JSON types included, where
/// binding would stop at the first with a message of its own. The annotations only carry that validation's bounds into
/// the document; nothing validates by them. <see cref="NotBlank"/> is the pattern of a text that must hold more than
/// white space: a schema without it lets a generated client send <c>" "</c>, which the validation refuses.
/// </summary>
/// <param name="CustomerEmail">The customer's address, at most 254 characters.</param>
/// <param name="Currency">An ISO 4217 code in upper case.</param>
/// <param name="Items">1 to 100 lines.</param>
/// <param name="CustomerName">The customer's name, at most 200 characters; optional, and blank is none.</param>
public sealed record PlaceOrderBody(
    [property: MaxLength(PlaceOrderValidation.MaxEmailLength), RegularExpression(PlaceOrderBody.NotBlank)] string CustomerEmail,
    [property: StringLength(3, MinimumLength = 3), RegularExpression("^[A-Z]{3}$")] string Currency,
    [property: MinLength(1), MaxLength(PlaceOrderValidation.MaxItems)] IReadOnlyList<PlaceOrderItem> Items,
    [property: MaxLength(PlaceOrderValidation.MaxNameLength)] string? CustomerName = null)
{
    /// <summary>A JSON Schema pattern (unanchored) that a text matches when it holds a character other than white space.</summary>
    public const string NotBlank = @"\S";
}
