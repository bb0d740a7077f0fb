namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>An email's row in <c>outbound_emails</c> as the relay needs it to decide what to do with a file.</summary>
/// <param name="EmailId">The email's id.</param>
/// <param name="FileName">The file it was first picked up from.</param>
/// <param name="SendState"><c>pending</c>, <c>sent</c> or <c>failed</c>.</param>
/// <param name="Attempts">Sends made so far.</param>
/// <param name="NextAttemptAt">When a pending email may be sent again, after a transient failure.</param>
/// <param name="LastError">What went wrong last.</param>
/// <param name="BatchId">The Resend batch it is a member of, while that batch may still have to be sent again.</param>
/// <param name="QueuedAt">
/// When it was picked up (the database's clock): before its first send, lone, in a batch or an agent reply.
/// </param>
/// <param name="WindowFrom">
/// When the relay began a send of it after none of its sends before could have been accepted; null when it never did
/// (the idempotency window then runs from <paramref name="QueuedAt"/>).
/// </param>
/// <param name="Unsent">
/// True while none of its sends could have been accepted: each was held back unsent or refused under an unused key.
/// </param>
/// <param name="IsNew">True when this pick-up created the row.</param>
public sealed record EmailRecord(
    Guid EmailId, string FileName, string SendState, int Attempts, DateTime? NextAttemptAt, string? LastError, Guid? BatchId, DateTime QueuedAt, DateTime? WindowFrom, bool Unsent, bool IsNew);
