namespace OrdersMail.InboxProvisioner.Steps.Inbox;

/// <summary>Every username tried for a customer's inbox was taken.</summary>
public sealed class UsernamesExhaustedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsernamesExhaustedException()
    {
    }

    /// <summary>Creates the exception with a message naming the usernames tried.</summary>
    public UsernamesExhaustedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public UsernamesExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
