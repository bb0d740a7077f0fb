using System.Text;
using MimeKit;
using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>
/// Whether an inbound message comes from the order's own address, the only sender trusted with order details.
/// </summary>
public static class SenderVerification
{
    /// <summary>
    /// The longest address mail can be sent to, in octets: RFC 5321 §4.5.3.1.3 bounds a path to 256, its angle brackets
    /// among them. RFC 5322 bounds no mailbox, and AgentMail takes a From of any length.
    /// </summary>
    public const int MaxAddressOctets = 254;

    // RFC 5322 as written: the lenient mode takes "Jane <jane@x.example" and a trailing word as a second mailbox.
    private static readonly ParserOptions Rfc5322 = Strict();

    /// <summary>
    /// True when <paramref name="from"/> (<c>addr</c> or <c>Display Name &lt;addr&gt;</c>) names the same mailbox as
    /// <paramref name="customerEmail"/>, ignoring case. Only the address counts: a display name that looks like the
    /// customer's address proves nothing, and a header that does not parse as one address is never verified.
    /// </summary>
    public static bool IsCustomer(string? from, string? customerEmail) =>
        AddressOf(from) is { } sender
        && AddressOf(customerEmail) is { } customer
        && string.Equals(sender, customer, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The bare address of a header value holding exactly one RFC 5322 mailbox, or null for anything else: several
    /// mailboxes (the header does not say which one wrote), a group, or what does not parse. The display name, whether
    /// quoted, with quoted words (<c>Robert "Bob" Smith</c>) or RFC 2047 encoded words, and comments such as
    /// <c>(work)</c> are read past and never count. An internationalised domain is given in its ASCII (punycode) form,
    /// as the order's address is stored and as the relay sends to, so either spelling of it names the same mailbox, read
    /// as placement reads it (<see cref="MailDomains"/>: in capitals or full width too). Null too for one mailbox longer
    /// than <see cref="MaxAddressOctets"/>, which no mail can reach (<see cref="IsOverlong"/>), and for one whose domain
    /// has no ASCII form: a letter with a combining accent the runtime cannot compose, whose punycode names another domain.
    /// </summary>
    public static string? AddressOf(string? mailbox) =>
        MailboxOf(mailbox) is { } address && Encoding.UTF8.GetByteCount(address) <= MaxAddressOctets ? address : null;

    /// <summary>
    /// True when <paramref name="mailbox"/> holds one mailbox, longer than <see cref="MaxAddressOctets"/>: a sender no
    /// answer can reach, though a person may have written. Kept as the sender of a reply's claim, 2.7 KB of it were past
    /// what PostgreSQL's index on <c>agent_replies</c> takes, and the email was never recorded.
    /// </summary>
    public static bool IsOverlong(string? mailbox) =>
        MailboxOf(mailbox) is { } address && Encoding.UTF8.GetByteCount(address) > MaxAddressOctets;

    private static string? MailboxOf(string? mailbox) =>
        !string.IsNullOrWhiteSpace(mailbox)
        && InternetAddressList.TryParse(Rfc5322, mailbox, out var addresses)
        && addresses is [MailboxAddress single]
            ? AsciiAddress(single)
            : null;

    // MimeKit's own encoding (GetAddress(idnEncode: true)) goes through IdnMapping, which maps nothing under invariant
    // globalization. Address keeps the local part quoted where it must be, and its domain follows the last @ (a quoted
    // local part may hold one); Domain is that domain as MimeKit read it, a punycode one decoded.
    private static string? AsciiAddress(MailboxAddress mailbox) =>
        MailDomains.ToAscii(mailbox.Domain) is { } domain
            ? string.Concat(mailbox.Address.AsSpan(..(mailbox.Address.LastIndexOf('@') + 1)), domain)
            : null;

    private static ParserOptions Strict()
    {
        var options = ParserOptions.Default.Clone();
        options.AddressParserComplianceMode = RfcComplianceMode.Strict;
        options.AllowAddressesWithoutDomain = false;
        return options;
    }
}
