using System.Text;

namespace OrdersMail.BuildingBlocks.Webhooks;

/// <summary>
/// How long an id from a verified webhook may be. The ingresses keep ids as keys of unique indexes (the svix-id they
/// dedupe on, events', threads' and emails' ids, Message-IDs), whose entries PostgreSQL caps at about 2.7 kB: a
/// longer id failed its insert, and with it every event of its group commit, answered 503 and retried for good. Such
/// an id is refused as input (400) instead. Counted in UTF-8 bytes, as the index stores them.
/// </summary>
public static class WebhookIdLimits
{
    /// <summary>The longest provider id: Svix's, Resend's and AgentMail's are tens of bytes.</summary>
    public const int IdBytes = 256;

    /// <summary>The longest Message-ID: one that fits on a header line (RFC 5322: 998 octets).</summary>
    public const int MessageIdBytes = 998;

    /// <summary>What is wrong with the first field over its limit (<c>"svix-id is longer than 256 bytes (UTF-8)"</c>); null when every one fits.</summary>
    public static string? TooLong(params ReadOnlySpan<(string Name, string? Value, int MaxBytes)> fields)
    {
        foreach (var (name, value, maxBytes) in fields)
        {
            if (value is not null && Encoding.UTF8.GetByteCount(value) > maxBytes)
            {
                return $"{name} is longer than {maxBytes} bytes (UTF-8)";
            }
        }

        return null;
    }
}
