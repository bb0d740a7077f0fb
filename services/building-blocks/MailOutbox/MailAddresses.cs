using System.Buffers;
using System.Text.RegularExpressions;

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>
/// The addresses the mail outbox sends to: the relay refuses a file naming any other, so a service that takes an
/// address from a user checks it by the same rule, and refuses at once what could never be sent. The domain is ASCII
/// (an internationalised one in its punycode form), without brackets or underscores. The local part is an ASCII
/// dot-atom (RFC 5322: no quotes, no leading, trailing or doubled dot): the providers send through servers that take
/// neither SMTPUTF8 nor the rarer forms, and would refuse it after the order was placed.
/// </summary>
public static partial class MailAddresses
{
    private const string Atom = """[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+""";
    private const string Bare = $"""{Atom}(\.{Atom})*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+""";

    // RFC 5322's specials: outside quotes a comma ends the mailbox, and the others are refused or read otherwise.
    private static readonly SearchValues<char> Specials = SearchValues.Create("()<>[]:;@\\,.\"");

    /// <summary>
    /// A bare address, or <c>Name &lt;address&gt;</c>: the forms both providers take. The name holds no line break or
    /// other control character, which would end the header; any other text is sent quoted (<see cref="ForHeader"/>).
    /// </summary>
    public static bool IsSendable(string value) => Sendable().IsMatch(value);

    /// <summary>A bare address the outbox can send to, with nothing around it.</summary>
    public static bool IsBareSendable(string value) => BareSendable().IsMatch(value);

    /// <summary>
    /// <paramref name="value"/> (<see cref="IsSendable"/>) as a header carries it: a display name holding an RFC 5322
    /// special (<c>Acme, Inc.</c>) becomes a quoted-string (<c>"Acme, Inc." &lt;orders@acme.com&gt;</c>, its <c>\</c>
    /// and <c>"</c> escaped), or the comma would make the header two mailboxes. Any other value is returned unchanged.
    /// </summary>
    public static string ForHeader(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var named = Named().Match(value);
        if (!named.Success)
        {
            return value;
        }

        var name = named.Groups["name"].Value;
        if (!name.AsSpan().ContainsAny(Specials) || QuotedString().IsMatch(name))
        {
            return value;
        }

        var escaped = name.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return $"\"{escaped}\" <{named.Groups["address"].Value}>";
    }

    [GeneratedRegex($$"""^\s*([^<>\p{Cc}]*<{{Bare}}>|{{Bare}})\s*$""")]
    private static partial Regex Sendable();

    [GeneratedRegex($"^{Bare}$")]
    private static partial Regex BareSendable();

    [GeneratedRegex("""^\s*(?<name>[^<>]*?)\s*<(?<address>[^<>]+)>\s*$""")]
    private static partial Regex Named();

    [GeneratedRegex("""^"([^"\\]|\\.)*"$""")]
    private static partial Regex QuotedString();
}
