using System.Text.RegularExpressions;
using OrdersMail.MailSandbox.AgentMail;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail.Inboxes;

/// <summary>
/// What an inbox username (the part before the <c>@</c>) may be. AgentMail does not publish its rules, so the
/// sandbox applies the common ground of mail providers and RFC 5321/5322 dot-atoms, strict enough that an address
/// it accepts is deliverable anywhere:
/// <list type="bullet">
/// <item>usernames are case-insensitive and stored lower-cased (<c>Cust-42</c> becomes <c>cust-42</c>);</item>
/// <item>1–64 characters (the RFC 5321 local-part limit) of lower-case letters, digits, <c>.</c>, <c>-</c> and <c>_</c>;</item>
/// <item>the first and last characters are a letter or a digit, and no two dots are adjacent.</item>
/// </list>
/// </summary>
public static partial class UsernameRules
{
    /// <summary>The longest username (RFC 5321 local part).</summary>
    public const int MaxLength = 64;

    private const int SuggestionCount = 3;
    private const int RandomLength = 12;

    /// <summary>The username as stored: lower-cased.</summary>
    public static string Normalize(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        return username.ToLowerInvariant();
    }

    /// <summary>The issue with a normalized username, or null when it is valid.</summary>
    public static SchemaIssue? Check(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        return username.Length switch
        {
            0 => SchemaIssue.TooSmall(["username"], "string", 1),
            > MaxLength => SchemaIssue.TooBig(["username"], "string", MaxLength),
            _ when !Shape().IsMatch(username) || username.Contains("..", StringComparison.Ordinal) => SchemaIssue.InvalidFormat(
                ["username"],
                "regex",
                "Invalid string: a username has letters, digits, dots, hyphens and underscores, starts and ends with a letter or digit, and has no two dots in a row"),
            _ => null,
        };
    }

    /// <summary>A random valid username, for a create without one.</summary>
    public static string Random() => Ids.Lower(RandomLength);

    /// <summary>
    /// Free alternatives to a taken username, shaped like the live API's (<c>hello</c> → <c>hello7096</c>): the name
    /// and four random digits, shortened first when that would pass the length limit.
    /// </summary>
    public static IReadOnlyList<string> Suggest(string taken, Func<string, bool> isFree)
    {
        ArgumentNullException.ThrowIfNull(taken);
        ArgumentNullException.ThrowIfNull(isFree);
        var stem = taken.Length > MaxLength - 4 ? taken[..(MaxLength - 4)] : taken;
        var suggestions = new List<string>(SuggestionCount);
        while (suggestions.Count < SuggestionCount)
        {
            var candidate = stem + System.Security.Cryptography.RandomNumberGenerator.GetString("0123456789", 4);
            if (!suggestions.Contains(candidate) && isFree(candidate))
            {
                suggestions.Add(candidate);
            }
        }

        return suggestions;
    }

    // Letters and digits at both ends; '.', '-', '_' allowed only inside.
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$")]
    private static partial Regex Shape();
}
