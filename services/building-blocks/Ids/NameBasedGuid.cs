using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace OrdersMail.BuildingBlocks.Ids;

/// <summary>
/// A name-based UUID (RFC 9562 version 5): the same namespace and name give the same id on every host, after every
/// restart and in every service, which is what the email ids the relay dedupes by (and sends as its
/// <c>Idempotency-Key</c>) rely on. Every id already stored was derived this way, so it must never change.
/// </summary>
public static class NameBasedGuid
{
    /// <summary>The version 5 UUID of <paramref name="name"/> (hashed as UTF-8) in <paramref name="namespace"/>.</summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "RFC 9562 defines version 5 over SHA-1; the hash names, it protects nothing.")]
    public static Guid Create(Guid @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];

        // The RFC hashes the namespace in network byte order and reads the id back the same way; Guid keeps its
        // first three fields little-endian, so both conversions say bigEndian or the ids differ from everyone else's.
        @namespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));

        // The first 16 bytes of the hash, marked as version 5 (octet 6) of the RFC's variant (octet 8).
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
