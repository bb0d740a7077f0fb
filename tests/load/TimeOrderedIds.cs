namespace OrdersMail.Load;

/// <summary>Bounds of the UUIDv7 ids (<see cref="Guid.CreateVersion7()"/>) made at a moment, for range queries on them.</summary>
public static class TimeOrderedIds
{
    /// <summary>The smallest UUIDv7 of the millisecond <paramref name="at"/>: its 48-bit timestamp, the version, nothing random.</summary>
    public static Guid First(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = at.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        }

        bytes[6] = 0x70;
        bytes[8] = 0x80;
        return new Guid(bytes, bigEndian: true);
    }
}
