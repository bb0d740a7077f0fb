namespace OrdersMail.Integrations.AgentMail;

/// <summary>
/// AgentMail answered with more than <see cref="AgentMailClient.MaxAnswerBytes"/> (a message of many megabytes of text
/// and HTML): refused at the bound, without reading or holding the rest, and not retried, as the same call would get the
/// same answer. An <see cref="AgentMailException"/> with the answer's status, so a caller that does not look for it
/// takes it as a definitive answer it cannot use.
/// </summary>
public sealed class AgentMailAnswerTooLargeException : AgentMailException
{
    /// <summary>Creates the exception for an answer of <paramref name="statusCode"/> to <paramref name="operation"/>.</summary>
    public AgentMailAnswerTooLargeException(int statusCode, string operation, Exception innerException)
        : base(statusCode, null, null, $"AgentMail {operation} answered {statusCode} with more than {AgentMailClient.MaxAnswerBytes} bytes; not read.", innerException)
    {
    }
}
