namespace OrdersMail.Integrations.Resend;

/// <summary>
/// Resend gave no definitive answer: transient failures (408, 429, 5xx, no answer, a timeout) outlasted the
/// retries, or the circuit is open. The send may or may not have happened; repeat it with the same
/// <c>Idempotency-Key</c>, which makes a repeat of a send that did happen send nothing.
/// </summary>
public sealed class ResendUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>The last transient status Resend answered, if it answered at all.</summary>
    public int? StatusCode { get; init; }
}
