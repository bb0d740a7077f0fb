using OrdersMail.Integrations.Resend;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// The tag the relay puts on every email it sends through Resend, which Resend echoes in each webhook event of that
/// email (docs/resend.md §5). A Resend account's webhook endpoint receives the events of every email the account
/// sends, other applications' and other deployments' too: by this tag, with this deployment's value
/// (<see cref="RelayOptions.SenderTag"/>), the Resend ingress knows an event for an email it has no row for yet as
/// ours, to keep until the relay records it, and any other as another sender's, acknowledged and not kept.
/// </summary>
public static class RelayTag
{
    /// <summary>The tag's name.</summary>
    public const string Name = "sent_by";

    /// <summary>The value of a deployment that sets none: the only one the tag had before it was a setting.</summary>
    public const string DefaultValue = "ordersmail";

    /// <summary>The tag as a send carries it, with <paramref name="value"/>.</summary>
    public static ResendTag For(string value) => new(Name, value);
}
