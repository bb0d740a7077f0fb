namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>What a provider made of one send.</summary>
public abstract record SendOutcome
{
    /// <summary>Accepted: the provider's id for it and the Message-ID it carries.</summary>
    public sealed record Accepted(string ProviderMessageId, string InternetMessageId) : SendOutcome;

    /// <summary>
    /// No definitive answer: try again later. <paramref name="Outage"/> when the provider was unavailable (timeouts, 408,
    /// 429, 5xx after the client's own retries, an open circuit), which does not spend the email's last attempt within
    /// <see cref="RelayOptions.OutagePatience"/>; a 409 or an answer not as documented is the email's, and counts.
    /// </summary>
    public sealed record Transient(string Error, bool Outage = false) : SendOutcome;

    /// <summary>
    /// Put off, nothing sent, until <paramref name="RetryAt"/>: Resend's quota is used up, or the provider refused a send
    /// for the account (<see cref="AccountRefusals"/>), which no attempt soon would change, so none is counted; the
    /// email waits, however long it lasts. <paramref name="KeyUnused"/> when the provider answered this very send with a
    /// refusal that says its key was not used (Resend's quota), so no earlier send under it went out either; a send held
    /// back here, or refused for the account, says nothing of the earlier ones.
    /// </summary>
    public sealed record Deferred(string Error, DateTimeOffset RetryAt, bool KeyUnused = false) : SendOutcome;

    /// <summary>Refused for good (a 4xx other than 408, 409 and 429, and not the account's): the provider's answer.</summary>
    public sealed record Refused(string Error) : SendOutcome;
}
