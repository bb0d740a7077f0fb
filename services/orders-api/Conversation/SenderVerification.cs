using MimeKit;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>
/// Whether an inbound message comes from the order's own address, the only sender trusted with order details.
/// </summary>
public static class SenderVerification
{
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
    /// as the order's address is stored and as the relay sends to, so either spelling of it names the same mailbox.
    /// </summary>
    public static string? AddressOf(string? mailbox) =>
        !string.IsNullOrWhiteSpace(mailbox)
        && InternetAddressList.TryParse(Rfc5322, mailbox, out var addresses)
        && addresses is [MailboxAddress single]
            ? single.GetAddress(idnEncode: true)
            : null;

    private static ParserOptions Strict()
    {
        var options = ParserOptions.Default.Clone();
        options.AddressParserComplianceMode = RfcComplianceMode.Strict;
        options.AllowAddressesWithoutDomain = false;
        return options;
    }
}
