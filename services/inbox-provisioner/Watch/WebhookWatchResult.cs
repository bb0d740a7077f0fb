namespace OrdersMail.InboxProvisioner.Watch;

/// <summary>What one look of the webhook watch did.</summary>
/// <param name="Repaired">Customers' webhooks found differing from what they must be and repaired.</param>
public sealed record WebhookWatchResult(int Repaired);
