namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// A pending email whose send may have reached the provider, its answer lost (a timeout, a stop), longer ago than the
/// provider remembers the send's <c>Idempotency-Key</c> (24 h at Resend and AgentMail alike): sent again under that key,
/// it would be taken as new and reach its recipients twice. Its age runs from its pick-up, which commits before its
/// first send (a Resend email's, lone or in a batch, and an agent reply's alike). An email none of whose sends could
/// have been accepted (<see cref="EmailRecord.Unsent"/>: each held back by a pause of the relay's, or answered with
/// Resend's quota refusal, which says its key was not used) has no answer to lose: it is sent when the pause ends,
/// however long it lasted, and its age then runs from that send (<see cref="EmailRecord.WindowFrom"/>, written before
/// it). A hold never moves the start of an email a send of which may have gone out: only an answer lost just before the
/// quota ran out, then a day's wait, could still send it twice.
/// </summary>
public static class UnansweredSend
{
    /// <summary>True when <paramref name="record"/> may have been sent and its age reaches <paramref name="window"/> at <paramref name="now"/>.</summary>
    public static bool IsPastWindow(EmailRecord record, DateTimeOffset now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(record);
        return !record.Unsent && now.UtcDateTime - Since(record) >= window;
    }

    /// <summary>Why the email goes to <c>failed/</c>, and what ops must check before sending it again.</summary>
    public static FileProblem Problem(EmailRecord record, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new FileProblem(
            "(provider)",
            $"the provider must answer a send within {window:c} of the email's pick-up, or of its first send after it was held back unsent, while it still remembers the send's Idempotency-Key",
            $"the answer of its send begun about {Since(record):u} was lost (or the send never left), and the provider no longer remembers its "
            + "Idempotency-Key: sent again, it could reach its recipients twice. Check the provider's log for it before sending it again "
            + "(POST /outbox/failed/{file}/send-again), and do so only if it never went out");
    }

    /// <summary>Where the email's age runs from.</summary>
    public static DateTime Since(EmailRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.WindowFrom ?? record.QueuedAt;
    }
}
