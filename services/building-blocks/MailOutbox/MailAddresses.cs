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

    /// <summary>A bare address, or <c>Name &lt;address&gt;</c>: the forms both providers take.</summary>
    public static bool IsSendable(string value) => Sendable().IsMatch(value);

    /// <summary>A bare address the outbox can send to, with nothing around it.</summary>
    public static bool IsBareSendable(string value) => BareSendable().IsMatch(value);

    [GeneratedRegex($"""^\s*([^<>]*<{Bare}>|{Bare})\s*$""")]
    private static partial Regex Sendable();

    [GeneratedRegex($"^{Bare}$")]
    private static partial Regex BareSendable();
}
