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

    /// <summary>
    /// The client_id of the customer's inbox of a generation (a new generation after each deletion, so AgentMail cannot
    /// answer a create with the deleted one): <c>inbox-{user id}</c> for the first, as every inbox had before
    /// generations, so an existing customer's create still replays their inbox; <c>inbox{generation}-{user id}</c> after,
    /// a digit where the first has its dash, so no generation of one customer is another's. A hash of the id stands in
    /// for an id with characters a client_id may not carry (1–256 of <c>A-Z a-z 0-9 - . _ ~</c>, no <c>@</c>).
    /// </summary>
    public static string InboxClientId(string userId, int generation)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentOutOfRangeException.ThrowIfNegative(generation);
        var id = ClientIdSafe().IsMatch(userId) ? userId : $"h-{Hash(userId, 32)}";
        return generation == 0 ? $"inbox-{id}" : $"inbox{generation}-{id}";
    }

    /// <summary>
    /// The client_id of the webhook of a generation (a new generation after each deletion) of the inbox of a
    /// generation: a new inbox's webhooks are never asked for under a deleted inbox's webhook's client_id, even when
    /// its webhook generations start again from 0 (a customer torn down and ordering again).
    /// </summary>
    public static string WebhookClientId(string userId, int inboxGeneration, int webhookGeneration) =>
        $"{InboxClientId(userId, inboxGeneration)}-webhook-{webhookGeneration}";

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
