namespace OrdersMail.InboundRouter.Secrets;

/// <summary>
/// An event would need AgentMail to be asked about its inbox before it is verified, and the router has asked as often as
/// <c>UnverifiedLookupsPerSecond</c> allows: the event is refused with a retry welcome, and AgentMail is not asked.
/// </summary>
public sealed class UnverifiedLookupsExhaustedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnverifiedLookupsExhaustedException()
    {
    }

    /// <summary>Creates the exception with a message naming the inbox.</summary>
    public UnverifiedLookupsExhaustedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public UnverifiedLookupsExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
