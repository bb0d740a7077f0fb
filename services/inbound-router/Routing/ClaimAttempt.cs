namespace OrdersMail.InboundRouter.Routing;

/// <summary>What giving a claimed email back does with the attempt its claim counted.</summary>
public enum ClaimAttempt
{
    /// <summary>The attempt counts towards <see cref="RoutingOptions.MaxAttempts"/>: the email's own failure, or a wait for the bus.</summary>
    Counted,

    /// <summary>
    /// AgentMail was unavailable: within <see cref="RoutingOptions.OutagePatience"/> of the email's arrival its attempts
    /// stay below <see cref="RoutingOptions.MaxAttempts"/>, while its backoff still grows to the longest wait.
    /// </summary>
    AgentMailOutage,

    /// <summary>
    /// The database failed transiently (no pooled connection came free, a command timed out behind a lock, a connection
    /// dropped in a failover): the attempt is given back, as it is no fault of the email's.
    /// </summary>
    GivenBack,
}
