using System.Text.RegularExpressions;

namespace OrdersMail.MailSandbox.AgentMail.Inboxes;

/// <summary>
/// The <c>domain</c> of a new inbox. AgentMail takes <c>agentmail.to</c> (the default) or a domain verified on the
/// account; the sandbox has no domain verification, so it takes any well-formed host name (lower-cased, at least
/// two labels of letters, digits and inner hyphens, 63 characters a label, 253 in all), which lets a client set up
/// for a custom domain run against it unchanged.
/// </summary>
public static partial class DomainRules
{
    /// <summary>AgentMail's own domain, used when the create names none.</summary>
    public const string Default = "agentmail.to";

    private const int MaxLength = 253;

    /// <summary>Reads the optional <c>domain</c> member, lower-cased; the default when absent or invalid (the issue is recorded).</summary>
    public static string Read(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var domain = body.ReadString("domain")?.ToLowerInvariant();
        if (domain is null)
        {
            return Default;
        }

        if (domain.Length > MaxLength || !HostName().IsMatch(domain))
        {
            body.Add(SchemaIssue.InvalidFormat(["domain"], "hostname", "Invalid string: domain must be a host name such as example.com"));
            return Default;
        }

        return domain;
    }

    [GeneratedRegex(@"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex HostName();
}
