namespace OrdersMail.MailSandbox.Resend;

/// <summary>Resend's outbound email event types; the sandbox raises the first five.</summary>
public static class ResendEventTypes
{
    /// <summary>Accepted and handed to the receiving server.</summary>
    public const string Sent = "email.sent";

    /// <summary>The receiving server accepted it.</summary>
    public const string Delivered = "email.delivered";

    /// <summary>The receiving server is deferring it (temporary failure).</summary>
    public const string DeliveryDelayed = "email.delivery_delayed";

    /// <summary>The receiving server rejected it; the payload carries <c>bounce</c>.</summary>
    public const string Bounced = "email.bounced";

    /// <summary>The recipient marked it as spam.</summary>
    public const string Complained = "email.complained";

    /// <summary>Every email event type Resend documents, which an endpoint may subscribe to.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Sent, "email.scheduled", Delivered, DeliveryDelayed, Complained, Bounced,
        "email.opened", "email.clicked", "email.failed", "email.suppressed", "email.received",
    ];
}
