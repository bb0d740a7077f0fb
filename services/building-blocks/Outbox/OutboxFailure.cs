namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>A row's failed attempt, as the relay records it.</summary>
/// <param name="Id">The row.</param>
/// <param name="Error">Why it failed, for <c>last_error</c>.</param>
/// <param name="OwnFault">
/// Whether the row itself is to blame (it cannot be turned into a message, or the broker refused it while taking
/// others), so the attempt counts towards setting it aside; an outage that fails every row counts for none.
/// </param>
internal readonly record struct OutboxFailure(Guid Id, string Error, bool OwnFault);
