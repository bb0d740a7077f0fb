using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace OrdersMail.InboxProvisioner.Customers;

/// <summary>
/// The names a customer's AgentMail resources get. The client_ids are deterministic, so a retry, a redelivered
/// event or a second replica gets the same inbox and the same webhook back instead of a second one. Usernames
/// are readable, from the customer's address, and valid under AgentMail's rules (lower-case letters, digits,
/// <c>.</c> <c>-</c> <c>_</c>, a letter or digit at both ends, no <c>..</c>, at most 64 characters).
/// </summary>
public static partial class InboxNaming
{
    private const int MaxUsernameStem = 48;

    /// <summary>The inbox's client_id: <c>inbox-{user id}</c>, or a hash of the id when it has characters a client_id may not (1–256 of <c>A-Z a-z 0-9 - . _ ~</c>, no <c>@</c>).</summary>
    public static string InboxClientId(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return ClientIdSafe().IsMatch(userId) ? $"inbox-{userId}" : $"inbox-h-{Hash(userId, 32)}";
    }

    /// <summary>The client_id of the inbox's webhook of a generation (a new generation after each deletion).</summary>
    public static string WebhookClientId(string userId, int generation) => $"{InboxClientId(userId)}-webhook-{generation}";

    /// <summary>
    /// Usernames to try, most readable first: the address's local part (<c>jane.buyer</c>), then the same with a
    /// short hash of the customer (<c>jane.buyer-3f9a1c</c>), which no other customer shares.
    /// </summary>
    public static IReadOnlyList<string> Usernames(string customerEmail, string userId)
    {
        ArgumentNullException.ThrowIfNull(customerEmail);
        var stem = Stem(customerEmail);
        return [stem, $"{stem}-{Hash(userId, 6)}"];
    }

    /// <summary>Whether AgentMail accepts <paramref name="username"/> as it is.</summary>
    public static bool IsValidUsername(string username) =>
        username.Length is > 0 and <= 64 && UsernameShape().IsMatch(username) && !username.Contains("..", StringComparison.Ordinal);

    private static string Stem(string customerEmail)
    {
        var at = customerEmail.IndexOf('@', StringComparison.Ordinal);
        var local = (at > 0 ? customerEmail[..at] : customerEmail).ToLowerInvariant();
        var cleaned = Separators().Replace(NotAllowed().Replace(local, "-"), m => m.Value[..1]).Trim('.', '-', '_');
        if (cleaned.Length > MaxUsernameStem)
        {
            cleaned = cleaned[..MaxUsernameStem].TrimEnd('.', '-', '_');
        }

        return cleaned.Length == 0 ? "customer" : cleaned;
    }

    private static string Hash(string value, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..length];

    [GeneratedRegex("^[A-Za-z0-9._~-]{1,200}$")]
    private static partial Regex ClientIdSafe();

    [GeneratedRegex("[^a-z0-9._-]")]
    private static partial Regex NotAllowed();

    // Runs of separators collapse to their first one, which also rules out "..".
    [GeneratedRegex("[._-]{2,}")]
    private static partial Regex Separators();

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$")]
    private static partial Regex UsernameShape();
}
