using System.Security.Cryptography;
using System.Text;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// The reply's <c>email_id</c>, a name-based UUID (RFC 9562 version 5) of the order and the customer's Message-ID: every
/// run for one message writes the same id, so the relay, which dedupes by it, sends one reply whatever happens.
/// </summary>
public static class AgentReplyIds
{
    // This project's namespace for agent replies; fixed forever, or every id changes.
    private static readonly Guid Namespace = new("6f1d3c2a-8b7e-4f5a-9c0d-2e4b6a8c0f13");

    /// <summary>The email id of the reply to <paramref name="messageId"/> in <paramref name="orderId"/>'s conversation.</summary>
    public static Guid For(Guid orderId, string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        var name = Encoding.UTF8.GetBytes($"{orderId:D}\n{messageId}");
        var input = new byte[16 + name.Length];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);

        // SHA-1 is what version 5 is defined with; it names, it does not protect.
#pragma warning disable CA5350
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
