using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>
/// Where a page of a conversation ended: the last message's (<c>received_at</c>, <c>id</c>), the listing's sort key.
/// Clients get it as an opaque base64url token and hand it back unchanged; a keyset position (rather than an offset)
/// stays right while new messages arrive between two pages.
/// </summary>
/// <param name="ReceivedAt">The last listed message's <c>received_at</c>, to the microsecond PostgreSQL keeps.</param>
/// <param name="Id">The last listed message's id, which breaks ties between messages received in the same microsecond.</param>
public sealed record MessageCursor(DateTime ReceivedAt, Guid Id)
{
    private const int Length = sizeof(long) + 16;
    private static readonly int EncodedLength = Base64Url.GetEncodedLength(Length);
    private static readonly long MinMicroseconds = (DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
    private static readonly long MaxMicroseconds = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>The token: microseconds since the Unix epoch and the id's bytes, both big-endian, in base64url.</summary>
    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, (ReceivedAt.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond);
        Id.TryWriteBytes(bytes[sizeof(long)..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Reads a token <see cref="Encode"/> wrote; false for anything else (edited, truncated, made up).</summary>
    public static bool TryDecode(string? token, [NotNullWhen(true)] out MessageCursor? cursor)
    {
        cursor = null;
        Span<byte> bytes = stackalloc byte[Length];
        // The OperationStatus overload: TryDecodeFromChars throws on characters outside the alphabet.
        if (token?.Length != EncodedLength
            || Base64Url.DecodeFromChars(token, bytes, out _, out var written) != OperationStatus.Done
            || written != Length)
        {
            return false;
        }

        var microseconds = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (microseconds < MinMicroseconds || microseconds > MaxMicroseconds)
        {
            return false;
        }

        var receivedAt = new DateTime(DateTime.UnixEpoch.Ticks + (microseconds * TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);
        cursor = new MessageCursor(receivedAt, new Guid(bytes[sizeof(long)..Length], bigEndian: true));
        return true;
    }
}
