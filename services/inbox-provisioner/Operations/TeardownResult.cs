namespace OrdersMail.InboxProvisioner.Operations;

/// <summary>What a teardown deleted.</summary>
/// <param name="UserId">The customer.</param>
/// <param name="DeletedInboxId">Their inbox, deleted (null: they had none yet, or the one their row named was gone or no longer theirs).</param>
/// <param name="DeletedWebhookId">Its webhook, deleted first (null: it had none).</param>
public sealed record TeardownResult(string UserId, string? DeletedInboxId, string? DeletedWebhookId);
