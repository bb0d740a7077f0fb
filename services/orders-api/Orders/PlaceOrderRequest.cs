using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>A valid <c>POST /api/orders</c> body, normalised (see <see cref="PlaceOrderValidation"/>).</summary>
/// <param name="CustomerEmail">The customer's address.</param>
/// <param name="CustomerName">The customer's name; null when not given or blank.</param>
/// <param name="Currency">An ISO 4217 code.</param>
/// <param name="Items">The order lines, in the order given.</param>
public sealed record PlaceOrderRequest(string CustomerEmail, string? CustomerName, string Currency, IReadOnlyList<PlaceOrderItem> Items)
{
    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.General);

    /// <summary>The sum of the lines.</summary>
    public decimal Total => Items.Sum(i => i.Quantity * i.UnitPrice);

    /// <summary>
    /// SHA-256 of the normalised request: a replay with the same Idempotency-Key must carry the same order,
    /// whatever its whitespace, property order or number spelling (<c>10</c> and <c>10.00</c> are one price).
    /// </summary>
    public string Fingerprint() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, Canonical))));
}
