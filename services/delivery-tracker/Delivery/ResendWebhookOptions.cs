namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>The Resend webhook endpoint's settings (section <c>Resend</c>).</summary>
public sealed class ResendWebhookOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Resend";

    /// <summary>
    /// The endpoint's <c>whsec_…</c> signing secret, as Resend (locally the sandbox) gave it when the endpoint was
    /// registered. Without it the endpoint verifies nothing and answers 503, so Svix keeps the events for later.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// The largest body accepted (bytes). Resend's delivery events are a few hundred bytes; anything near this is
    /// not one of them, and reading it whole before the signature is checked would let anyone make us buffer it.
    /// </summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;
}
