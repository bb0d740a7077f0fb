namespace OrdersMail.InboxProvisioner.Customers;

/// <summary>What a customer owns at AgentMail, and their newest order's reference.</summary>
/// <param name="UserId">The customer.</param>
/// <param name="InboxId">Their inbox, once created.</param>
/// <param name="InboxAddress">The inbox's address.</param>
/// <param name="InboxGeneration">How many of the customer's inboxes were deleted: part of the next one's client_id.</param>
/// <param name="WebhookId">The inbox's webhook, once subscribed.</param>
/// <param name="WebhookGeneration">How many of the inbox's webhooks were deleted: part of the next one's client_id.</param>
/// <param name="NewestOrderRef">The reference the inbox's <c>metadata.order_ref</c> must hold.</param>
public sealed record CustomerInbox(string UserId, string? InboxId, string? InboxAddress, int InboxGeneration, string? WebhookId, int WebhookGeneration, string NewestOrderRef);
