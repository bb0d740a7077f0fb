namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// A pending email whose send may have reached the provider, its answer lost (a timeout, a stop), longer ago than the
/// provider remembers the send's <c>Idempotency-Key</c> (24 h at Resend and AgentMail alike): sent again under that key,
/// it would be taken as new and reach its recipients twice. Its age runs from its pick-up, which comes before a Resend
/// email's first send (lone or in a batch) and at most <see cref="RelayOptions.QueuedAfter"/> after an agent reply's.
/// </summary>
public static class UnansweredSend
{
    /// <summary>True when <paramref name="record"/> was picked up <paramref name="window"/> or longer before <paramref name="now"/>.</summary>
    public static bool IsPastWindow(EmailRecord record, DateTimeOffset now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(record);
        return now.UtcDateTime - record.QueuedAt >= window;
    }

    /// <summary>Why the email goes to <c>failed/</c>, and what ops must check before sending it again.</summary>
    public static FileProblem Problem(EmailRecord record, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new FileProblem(
            "(provider)",
            $"the provider must answer a send within {window:c} of the email's pick-up, while it still remembers the send's Idempotency-Key",
            $"the answer of its send begun about {record.QueuedAt:u} was lost (or the send never left), and the provider no longer remembers its "
            + "Idempotency-Key: sent again, it could reach its recipients twice. Check the provider's log for it before sending it again "
            + "(POST /outbox/failed/{file}/send-again), and do so only if it never went out");
    }
}
