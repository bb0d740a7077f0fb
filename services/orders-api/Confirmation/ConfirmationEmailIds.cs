using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>
/// The confirmation's email id, derived from the order (an RFC 9562 version 5 UUID, SHA-1 of a namespace and the
/// order id): whoever writes it, however often after a crash, writes the same id, which the relay sends once.
/// </summary>
public static class ConfirmationEmailIds
{
    // OrdersMail's namespace for order confirmations; changing it would give every order a second id.
    private static readonly Guid Namespace = new("5c1b3f0e-7a52-4f5e-9d0e-2f6f3b8a9c41");

    /// <summary>The confirmation email id of <paramref name="orderId"/>.</summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "Version 5 UUIDs are defined over SHA-1; it names, it does not protect.")]
    public static Guid For(Guid orderId)
    {
        var name = Encoding.UTF8.GetBytes(orderId.ToString("D"));
        var input = new byte[16 + name.Length];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);

        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
