using System.Net.Mail;
using OrdersMail.MailSandbox.AgentMail.Inboxes;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>Addresses as messages carry them: <c>addr</c> or <c>Name &lt;addr&gt;</c>.</summary>
public static class EmailAddresses
{
    /// <summary>The bare address of <c>addr</c> or <c>Name &lt;addr&gt;</c>, or null when it is not an address.</summary>
    public static string? Bare(string? value) =>
        !string.IsNullOrWhiteSpace(value) && MailAddress.TryCreate(value.Trim(), out var address) ? address.Address : null;

    /// <summary>The inbox as a sender or recipient: <c>Display Name &lt;addr&gt;</c> when it has a display name.</summary>
    public static string Of(StoredInbox inbox)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        if (string.IsNullOrWhiteSpace(inbox.DisplayName))
        {
            return inbox.Email;
        }

        // RFC 5322 specials in a display name need quotes, or the comma would split it into two addresses.
        var name = inbox.DisplayName.IndexOfAny([',', ';', '<', '>', '@', '"', ':']) >= 0
            ? $"\"{inbox.DisplayName.Replace("\"", "\\\"", StringComparison.Ordinal)}\""
            : inbox.DisplayName;
        return $"{name} <{inbox.Email}>";
    }

    /// <summary>True when two addresses (either form) name the same mailbox.</summary>
    public static bool Same(string first, string second) =>
        string.Equals(Bare(first) ?? first, Bare(second) ?? second, StringComparison.OrdinalIgnoreCase);

    /// <summary>Adds an issue for each entry of <paramref name="values"/> that is not an address.</summary>
    public static void Check(IReadOnlyList<string>? values, string field, List<ValidationIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            if (Bare(values![i]) is null)
            {
                issues.Add(new ValidationIssue([field, i], $"Invalid email address: '{values[i]}'", "invalid_string"));
            }
        }
    }

    /// <summary>The distinct bare addresses of all the lists, in order.</summary>
    public static IReadOnlyList<string> BareDistinct(params IReadOnlyList<string>?[] lists) =>
        [.. lists.SelectMany(l => l ?? []).Select(a => Bare(a) ?? a).Distinct(StringComparer.OrdinalIgnoreCase)];
}
