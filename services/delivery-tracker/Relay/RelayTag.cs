using OrdersMail.Integrations.Resend;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// The tag the relay puts on every email it sends through Resend, which Resend echoes in each webhook event of that
/// email (docs/resend.md §5). A Resend account's webhook endpoint receives the events of every email the account
/// sends, other applications' too: by this tag the Resend ingress knows an event for an email it has no row for yet
/// as ours, to keep until the relay records it, and an untagged one as another sender's, acknowledged and not kept.
/// </summary>
public static class RelayTag
{
    /// <summary>The tag's name.</summary>
    public const string Name = "sent_by";

    /// <summary>The tag's value.</summary>
    public const string Value = "ordersmail";

    /// <summary>The tag as the send carries it.</summary>
    public static readonly ResendTag Tag = new(Name, Value);
}
