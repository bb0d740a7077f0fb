namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// An email a provider's outage kept pending past its last attempt (<see cref="RelayOptions.OutagePatience"/>): its
/// row is pending with <see cref="RelayOptions.MaxAttempts"/> sends or more, which only an outage within the patience
/// leaves so (<see cref="OutboundEmailStore.GivesUp"/>). Each further send still counts, so its backoff levels off at
/// <see cref="RelayOptions.RetryMaxDelay"/>, and its log says once that it began to wait, not at every retry: a
/// thousand emails through an hour's outage would otherwise be twelve thousand Warnings.
/// </summary>
public static class OutageWait
{
    /// <summary>True when <paramref name="row"/>, just counted, is kept pending by an outage past its last attempt.</summary>
    public static bool Spares(EmailRecord row, int maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.SendState == "pending" && row.Attempts >= maxAttempts;
    }

    /// <summary>True when <paramref name="row"/>'s last attempt is the one just spared: its wait begins now.</summary>
    public static bool Begins(EmailRecord row, int maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.SendState == "pending" && row.Attempts == maxAttempts;
    }

    /// <summary>When the patience for <paramref name="row"/> runs out: the first failed send after it fails the email.</summary>
    public static DateTime Until(EmailRecord row, TimeSpan patience) => UnansweredSend.Since(row) + patience;
}
