namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>
/// AgentMail could not give a definitive answer: transient failures outlasted the retries, an attempt timed out, or
/// the circuit is open. The call may or may not have taken effect; repeat it later (creates are idempotent by
/// <c>client_id</c>). <see cref="Exception.Message"/> and <see cref="Reason"/> say which.
/// </summary>
public sealed class AgentMailUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="reason"/>.</summary>
    public AgentMailUnavailableException(string message, AgentMailUnavailableReason reason, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    /// <summary>Why AgentMail was unavailable.</summary>
    public AgentMailUnavailableReason Reason { get; }

    /// <summary>The last transient status AgentMail answered, when <see cref="Reason"/> is <see cref="AgentMailUnavailableReason.TransientStatus"/>.</summary>
    public int? StatusCode { get; init; }
}
