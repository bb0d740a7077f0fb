namespace OrdersMail.DeliveryTracker.OutboxRetention;

/// <summary>What one outbox sweep removed from each folder.</summary>
/// <param name="Sent">Files of <c>sent/</c>.</param>
/// <param name="Failed">Files of <c>failed/</c> sent again long ago, each with its reason file.</param>
/// <param name="Staged">Files a writer left in <c>.staging/</c>.</param>
public sealed record OutboxSwept(int Sent, int Failed, int Staged);
