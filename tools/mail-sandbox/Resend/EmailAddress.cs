using System.Text.RegularExpressions;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// The two address forms Resend accepts in <c>from</c>, <c>to</c>, <c>cc</c>, <c>bcc</c> and <c>reply_to</c>:
/// a bare address (<c>a@b.com</c>) or one with a display name (<c>Acme &lt;a@b.com&gt;</c>).
/// </summary>
public static partial class EmailAddress
{
    /// <summary>The bare address inside <paramref name="value"/>, or null when it is in neither form.</summary>
    public static string? Bare(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var named = NamedAddress().Match(value);
        var address = named.Success ? named.Groups["address"].Value : value.Trim();
        return BareAddress().IsMatch(address) ? address : null;
    }

    [GeneratedRegex("""^\s*[^<>]*<(?<address>[^<>]+)>\s*$""")]
    private static partial Regex NamedAddress();

    // Deliberately loose on the local part (as providers are), strict on the shape: one @, a dotted domain.
    [GeneratedRegex("""^[^\s@<>()\[\],;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$""")]
    private static partial Regex BareAddress();
}
