using OrdersMail.MailSandbox.Resend;

namespace OrdersMail.MailSandbox.Core;

/// <summary>The sandbox's settings: section <c>MailSandbox</c> (<c>ORDERSMAIL_MailSandbox__Port</c>...).</summary>
public sealed class SandboxOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "MailSandbox";

    /// <summary>HTTP port on 127.0.0.1.</summary>
    public int Port { get; set; } = 7070;

    /// <summary>When set, AgentMail calls must carry exactly this key; otherwise any key starting <c>am_</c> is accepted.</summary>
    public string? AgentMailApiKey { get; set; }

    /// <summary>When set, Resend calls must carry exactly this key; otherwise any key starting <c>re_</c> is accepted.</summary>
    public string? ResendApiKey { get; set; }

    /// <summary>Svix's retry schedule (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h) is divided by this, so tests see retries in milliseconds.</summary>
    public double WebhookRetryCompression { get; set; } = 1000;

    /// <summary>How long a webhook receiver has to answer before the attempt counts as failed (Svix: 15 s).</summary>
    public TimeSpan WebhookAttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How many webhook attempts each API's log keeps (<c>GET /sandbox/webhook-attempts</c>), the oldest dropped first.
    /// A full-size load run makes about 20,000, most of them Resend's; its inbound storm's 2,000 emails about 6,500 of
    /// AgentMail's, which its invariants read back.
    /// </summary>
    public int KeptWebhookAttempts { get; set; } = 10_000;

    /// <summary>Resend's rate limit: requests per second per API key (token bucket; Resend's default is 5).</summary>
    public int ResendRequestsPerSecond { get; set; } = 5;

    /// <summary>
    /// Whether Resend gives every email a Message-ID of its own (<c>&lt;…@email.amazonses.com&gt;</c>), as Amazon SES, which
    /// it sends through, may do with the sender's; off, an email goes out with the Message-ID its request set (one of
    /// Resend's own when it set none). Either way its events' <c>data.message_id</c> and the recipient's copy
    /// (<c>GET /sandbox/resend/emails</c>) carry the one it went out with.
    /// </summary>
    public bool ResendReplacesMessageIds { get; set; }

    /// <summary>Resend webhook endpoints registered at start, with secrets given in configuration (docker-compose).</summary>
    public IList<ConfiguredResendWebhook> ResendWebhooks { get; } = [];
}
