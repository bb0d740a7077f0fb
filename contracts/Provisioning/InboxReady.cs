namespace OrdersMail.Contracts.Provisioning;

/// <summary>
/// The customer's AgentMail inbox exists, is stamped with this order's reference, and has exactly one
/// webhook scoped to it alone that was read back and found right. The webhook's secret never travels on the bus.
/// </summary>
/// <param name="OrderId">The order whose <see cref="Orders.OrderCreated"/> started the provisioning.</param>
/// <param name="OrderRef">That order's human reference, as stamped on the inbox.</param>
/// <param name="UserId">The customer the inbox belongs to.</param>
/// <param name="InboxId">AgentMail's inbox id (it is the inbox's email address).</param>
/// <param name="InboxAddress">The address customers reply to; goes into Reply-To of the order's emails.</param>
/// <param name="WebhookId">AgentMail's id of the inbox-scoped webhook that feeds the inbound-router.</param>
/// <param name="ReadyAt">When the provisioning finished.</param>
public sealed record InboxReady(
    Guid OrderId,
    string OrderRef,
    string UserId,
    string InboxId,
    string InboxAddress,
    string WebhookId,
    DateTimeOffset ReadyAt);
