namespace OrdersMail.InboundRouter.Secrets;

/// <summary>
/// The router's database, where each inbox's webhook and secret are kept, could not answer an event's secret lookup:
/// it failed, or gave no answer within <c>Ingress:SecretLookupTimeout</c> (a pool with no connection free, a lock). The
/// event is neither refused nor recorded, and is answered 503 for AgentMail to send again; its signature was never in
/// question.
/// </summary>
public sealed class SecretStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SecretStoreUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message naming the inbox.</summary>
    public SecretStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the database's failure.</summary>
    public SecretStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
