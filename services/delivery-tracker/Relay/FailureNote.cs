using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// <c>failed/&lt;name&gt;.error.json</c>, beside each failed file: why it failed, in words a person can act on, and the
/// email and order it held when the file was readable enough to name them (so ops can find an order's failed email).
/// </summary>
/// <param name="File">The failed file's name.</param>
/// <param name="FailedAt">When the relay gave up on it.</param>
/// <param name="Field">The field at fault, <c>(file)</c> or <c>(provider)</c>.</param>
/// <param name="Rule">The rule it breaks.</param>
/// <param name="Reason">What was wrong with it, or the provider's answer.</param>
/// <param name="EmailId">The email it held, if known.</param>
/// <param name="OrderId">The order it was about, if known.</param>
public sealed record FailureNote(string File, DateTimeOffset FailedAt, string Field, string Rule, string Reason, Guid? EmailId, Guid? OrderId)
{
    /// <summary>How the note is written and read: indented snake_case, without the ids it does not know.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    // The longest file name Linux takes (NAME_MAX), in bytes.
    private const int MaxNameBytes = 255;
    private const string Suffix = ".error.json";

    /// <summary>The note's file name beside the failed file <paramref name="name"/>.</summary>
    public static string NameFor(string name) => $"{name}{Suffix}";

    /// <summary>Whether <paramref name="name"/> can be a failed file's: one whose note's name fits in a file name.</summary>
    public static bool Fits(string name) => Encoding.UTF8.GetByteCount(name) + Suffix.Length <= MaxNameBytes;

    /// <summary>
    /// The name the file <paramref name="name"/> takes in <c>failed/</c>: its own, unless its note's name would not fit
    /// in a file name (a name of over 244 bytes, which a writer other than ours may give), then its first bytes and a
    /// hash of the whole name. Otherwise the note could not be written, and the file could never fail: it would be
    /// given back and tried again for good. The note keeps the name it came with.
    /// </summary>
    public static string FailedNameFor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Fits(name))
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..16];
        var keep = MaxNameBytes - Suffix.Length - $"-{hash}.json".Length;
        var prefix = new StringBuilder();
        var bytes = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > keep)
            {
                break;
            }

            prefix.Append(rune.ToString());
        }

        return $"{prefix}-{hash}.json";
    }
}
