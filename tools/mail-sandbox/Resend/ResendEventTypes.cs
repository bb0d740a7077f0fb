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

    /// <summary>
    /// Every event type Resend documents, which an endpoint may subscribe to: its email events, then those of contacts,
    /// domains, suppressions and topics (docs/resend.md §5), which the sandbox never raises.
    /// </summary>
    public static readonly IReadOnlyList<string> All =
    [
        Sent, "email.scheduled", Delivered, DeliveryDelayed, Complained, Bounced,
        "email.opened", "email.clicked", "email.failed", "email.suppressed", "email.received",
        "contact.created", "contact.updated", "contact.deleted", "contact.topics.updated",
        "domain.created", "domain.updated", "domain.deleted",
        "suppression.added", "suppression.removed",
        "topic.created", "topic.updated", "topic.deleted",
    ];
}
