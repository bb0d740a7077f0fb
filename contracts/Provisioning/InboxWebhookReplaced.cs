namespace OrdersMail.Contracts.Provisioning;

/// <summary>
/// The webhook feeding a customer's inbox is now another one (a repair deleted the old one and subscribed again).
/// An <see cref="InboxReady"/> sent before this may name the old webhook: the inbound-router trusts the newest
/// replacement, and reads the new webhook's secret from AgentMail itself (the secret never travels on the bus).
/// </summary>
/// <param name="UserId">The customer the inbox belongs to.</param>
/// <param name="InboxId">The inbox.</param>
/// <param name="WebhookId">The webhook that feeds it now.</param>
/// <param name="ReplacedWebhookId">The webhook it replaced, if one existed.</param>
/// <param name="ReplacedAt">When the new webhook was subscribed.</param>
public sealed record InboxWebhookReplaced(
    string UserId,
    string InboxId,
    string WebhookId,
    string? ReplacedWebhookId,
    DateTimeOffset ReplacedAt);
