using System.Net.Mail;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>
/// Whether an inbound message comes from the order's own address, the only sender trusted with order details.
/// </summary>
public static class SenderVerification
{
    /// <summary>
    /// True when <paramref name="from"/> (<c>addr</c> or <c>Display Name &lt;addr&gt;</c>) names the same mailbox as
    /// <paramref name="customerEmail"/>, ignoring case. Only the address counts: a display name that looks like the
    /// customer's address proves nothing, and a header that does not parse as one address is never verified.
    /// </summary>
    public static bool IsCustomer(string? from, string? customerEmail) =>
        AddressOf(from) is { } sender
        && AddressOf(customerEmail) is { } customer
        && string.Equals(sender, customer, StringComparison.OrdinalIgnoreCase);

    /// <summary>The bare address of a single mailbox header value, or null when it is not exactly one mailbox.</summary>
    public static string? AddressOf(string? mailbox) =>
        !string.IsNullOrWhiteSpace(mailbox) && MailAddress.TryCreate(mailbox.Trim(), out var parsed) ? parsed.Address : null;
}
