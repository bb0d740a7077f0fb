namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>Why AgentMail could not be used for a call.</summary>
public enum AgentMailUnavailableReason
{
    /// <summary>It kept answering a transient status (408, 429, 5xx) until the retries ran out.</summary>
    TransientStatus,

    /// <summary>It could not be reached (connection refused or reset, DNS...) until the retries ran out.</summary>
    Unreachable,

    /// <summary>Its last attempt took longer than the attempt timeout.</summary>
    Timeout,

    /// <summary>The circuit is open after repeated failures: the call was not sent.</summary>
    CircuitOpen,
}
