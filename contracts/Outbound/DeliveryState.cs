namespace OrdersMail.Contracts.Outbound;

/// <summary>
/// Where an outbound email is on its way to the recipient. States only move forward: a late event for an
/// earlier state never replaces a later one (delivery-tracker enforces this).
/// </summary>
public enum DeliveryState
{
    /// <summary>Written to the outbox, not yet handed to a provider.</summary>
    Queued = 1,

    /// <summary>Accepted by the provider.</summary>
    Sent = 2,

    /// <summary>The provider reports a temporary delivery problem and keeps trying.</summary>
    DeliveryDelayed = 3,

    /// <summary>The recipient's mail server accepted the email.</summary>
    Delivered = 4,

    /// <summary>The recipient's mail server rejected the email.</summary>
    Bounced = 5,

    /// <summary>The recipient marked the email as spam.</summary>
    Complained = 6,

    /// <summary>The relay gave up: the file was invalid or the provider refused it for good.</summary>
    Failed = 7,
}
