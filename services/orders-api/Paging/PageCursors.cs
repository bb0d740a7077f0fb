using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OrdersMail.OrdersApi.Http;

namespace OrdersMail.OrdersApi.Paging;

/// <summary>
/// Page cursors: opaque (base64url) and tamper-evident. A cursor is a version byte, the <see cref="PagePosition"/>
/// (ticks and id, big-endian) and an HMAC-SHA256 of both together with the <see cref="CursorScope"/> it was written
/// for, which is not in the token. A forged, edited or truncated cursor, or one of another list or another user, fails
/// the HMAC and is refused, so a cursor can never reach rows its holder could not list.
/// </summary>
/// <remarks>
/// An HMAC under a configured key rather than ASP.NET Data Protection: the position is no secret (the page it ends
/// shows both values), so only integrity is needed, and one shared setting makes cursors valid on every replica and
/// across restarts, where Data Protection would need a persisted, shared key ring.
/// </remarks>
public sealed partial class PageCursors
{
    private const byte Version = 1;
    private const int PositionLength = sizeof(long) + 16;
    private const int SignedLength = 1 + PositionLength;
    private const int TokenLength = SignedLength + HMACSHA256.HashSizeInBytes;
    private static readonly int EncodedLength = Base64Url.GetEncodedLength(TokenLength);

    private readonly byte[] _key;

    /// <summary>Cursors signed with <paramref name="key"/>.</summary>
    public PageCursors(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(key.Length, HttpOptions.MinCursorKeyBytes);
        _key = key;
    }

    /// <summary>Cursors signed with <c>OrdersApi:CursorKey</c>, or with a key of this process alone when it is not set.</summary>
    public PageCursors(IOptions<HttpOptions> options, ILogger<PageCursors> logger)
        : this(KeyOf(options, logger))
    {
    }

    /// <summary>The cursor for <paramref name="position"/> in <paramref name="scope"/>'s list.</summary>
    public string Write(PagePosition position, CursorScope scope)
    {
        ArgumentNullException.ThrowIfNull(position);
        Span<byte> token = stackalloc byte[TokenLength];
        token[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(token[1..], DateTime.SpecifyKind(position.At, DateTimeKind.Utc).Ticks);
        position.Id.TryWriteBytes(token[(1 + sizeof(long))..], bigEndian: true, out _);
        Sign(token[..SignedLength], scope, token[SignedLength..]);
        return Base64Url.EncodeToString(token);
    }

    /// <summary>The position <paramref name="cursor"/> holds, when this API wrote it for <paramref name="scope"/>; false for anything else.</summary>
    public bool TryRead(string? cursor, CursorScope scope, [NotNullWhen(true)] out PagePosition? position)
    {
        position = null;
        Span<byte> token = stackalloc byte[TokenLength];
        // The OperationStatus overload: TryDecodeFromChars throws on characters outside the alphabet.
        if (cursor?.Length != EncodedLength
            || Base64Url.DecodeFromChars(cursor, token, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != TokenLength
            || token[0] != Version)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Sign(token[..SignedLength], scope, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, token[SignedLength..]))
        {
            return false;
        }

        // Only this API signs, so the ticks are a DateTime's; the check keeps a key shared with a faulty writer harmless.
        var ticks = BinaryPrimitives.ReadInt64BigEndian(token[1..]);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        position = new PagePosition(new DateTime(ticks, DateTimeKind.Utc), new Guid(token[(1 + sizeof(long))..SignedLength], bigEndian: true));
        return true;
    }

    private void Sign(ReadOnlySpan<byte> signed, CursorScope scope, Span<byte> mac)
    {
        ArgumentNullException.ThrowIfNull(scope);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(signed);
        // Each part with its length first, so no two scopes can run together into the same bytes.
        AppendPart(hmac, scope.List);
        AppendPart(hmac, scope.UserId);
        hmac.GetHashAndReset(mac);
    }

    private static void AppendPart(IncrementalHash hmac, string part)
    {
        var bytes = Encoding.UTF8.GetBytes(part);
        Span<byte> length = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hmac.AppendData(length);
        hmac.AppendData(bytes);
    }

    private static byte[] KeyOf(IOptions<HttpOptions> options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Value.CursorKey is { } configured && HttpOptionsValidator.TryDecode(configured, out var key))
        {
            return key;
        }

        LogRandomKey(logger, HttpOptions.Section);
        return RandomNumberGenerator.GetBytes(HttpOptions.MinCursorKeyBytes);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Section}:CursorKey is not set: page cursors are signed with a key of this process alone, so they stop working at a restart and on other replicas")]
    private static partial void LogRandomKey(ILogger logger, string section);
}
