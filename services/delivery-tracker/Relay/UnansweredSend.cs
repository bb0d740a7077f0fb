namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// A pending email whose send may have reached the provider, its answer lost (a timeout, a stop), longer ago than the
/// provider remembers the send's <c>Idempotency-Key</c> (24 h at Resend and AgentMail alike): sent again under that key,
/// it would be taken as new and reach its recipients twice. Its age runs from its pick-up, which commits before its
/// first send (a Resend email's, lone or in a batch, and an agent reply's alike); or from when the provider last refused its send outright (the team's quota used up), so that an email waiting out a
/// quota for a day is sent when the quota is back. That trusts a quota refusal under the key to mean nothing went out
/// under it: only an answer lost just before the quota ran out, then a day's wait, could still send it twice.
/// </summary>
public static class UnansweredSend
{
    /// <summary>True when <paramref name="record"/>'s age reaches <paramref name="window"/> at <paramref name="now"/>.</summary>
    public static bool IsPastWindow(EmailRecord record, DateTimeOffset now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(record);
        return now.UtcDateTime - Since(record) >= window;
    }

    /// <summary>Why the email goes to <c>failed/</c>, and what ops must check before sending it again.</summary>
    public static FileProblem Problem(EmailRecord record, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new FileProblem(
            "(provider)",
            $"the provider must answer a send within {window:c} of the email's pick-up or its last refusal, while it still remembers the send's Idempotency-Key",
            $"the answer of its send begun about {Since(record):u} was lost (or the send never left), and the provider no longer remembers its "
            + "Idempotency-Key: sent again, it could reach its recipients twice. Check the provider's log for it before sending it again "
            + "(POST /outbox/failed/{file}/send-again), and do so only if it never went out");
    }

    /// <summary>Where the email's age runs from.</summary>
    public static DateTime Since(EmailRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.RefusedAt is { } refused && refused > record.QueuedAt ? refused : record.QueuedAt;
    }
}
