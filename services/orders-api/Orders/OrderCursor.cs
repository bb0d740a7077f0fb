using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// Where a page of orders ended: the last order's (created_at, id), the key of the keyset pagination.
/// Opaque to clients (base64url); a cursor only ever narrows the caller's own orders, so a forged one reveals nothing.
/// </summary>
/// <param name="CreatedAt">The last order's creation time (UTC, microseconds as PostgreSQL keeps them).</param>
/// <param name="Id">The last order's id, breaking ties between orders created in the same microsecond.</param>
public sealed record OrderCursor(DateTime CreatedAt, Guid Id)
{
    /// <summary>The cursor as a client sees it.</summary>
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(FormattableString.Invariant($"{CreatedAt.Ticks}.{Id:N}")));

    /// <summary>Reads a cursor a client sent back; false when it is not one this API wrote.</summary>
    public static bool TryDecode(string text, [NotNullWhen(true)] out OrderCursor? cursor)
    {
        cursor = null;
        Span<byte> bytes = stackalloc byte[96];
        if (text.Length > 128 || !Base64Url.IsValid(text) || !Base64Url.TryDecodeFromChars(text, bytes, out var written))
        {
            return false;
        }

        var parts = Encoding.ASCII.GetString(bytes[..written]).Split('.');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks
            || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }

        cursor = new OrderCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }
}
