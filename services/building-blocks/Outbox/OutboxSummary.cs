namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>What an outbox table holds that is not published yet.</summary>
/// <param name="Pending">Rows waiting for the relay.</param>
/// <param name="OldestPending">When the oldest of them was written; null when none waits.</param>
/// <param name="DeadLetters">Rows the relay set aside.</param>
public sealed record OutboxSummary(long Pending, DateTimeOffset? OldestPending, long DeadLetters);
