namespace OrdersMail.MailSandbox.AgentMail.Webhooks;

/// <summary>
/// AgentMail's <c>EventType</c> enum as SDK 0.5.27 has it: exactly these eleven. The spam, blocked and
/// unauthenticated variants are opt-in: such mail is not also delivered as <c>message.received</c>.
/// </summary>
public static class EventTypes
{
    /// <summary>Every event type a webhook may subscribe to.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "message.received",
        "message.received.spam",
        "message.received.blocked",
        "message.received.unauthenticated",
        "message.sent",
        "message.delivered",
        "message.bounced",
        "message.complained",
        "message.rejected",
        "message.opened",
        "domain.verified",
    ];
}
