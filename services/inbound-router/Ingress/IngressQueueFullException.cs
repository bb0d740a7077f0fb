namespace OrdersMail.InboundRouter.Ingress;

/// <summary>
/// As many events wait to be recorded as the ingress holds (<see cref="IngressOptions.MaxQueued"/>): the database is
/// behind. The event is neither refused nor recorded, and is answered 503 at once for AgentMail to send again, instead of
/// holding its email in memory behind the others until <see cref="IngressOptions.RecordTimeout"/>.
/// </summary>
public sealed class IngressQueueFullException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IngressQueueFullException()
    {
    }

    /// <summary>Creates the exception with a message naming the capacity.</summary>
    public IngressQueueFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public IngressQueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
