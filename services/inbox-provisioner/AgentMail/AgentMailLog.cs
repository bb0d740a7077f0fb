namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>
/// What the client logs: retries and circuit changes, with the operation and the failure's status or kind.
/// Never a body: webhook responses carry signing secrets.
/// </summary>
internal static partial class AgentMailLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "AgentMail {Operation}: attempt {Attempt} failed ({Failure}); retrying in {DelayMs} ms")]
    public static partial void RetryScheduled(ILogger logger, string operation, int attempt, string failure, long delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "AgentMail circuit opened by {Operation} ({Failure}): calls fail at once for {BreakDuration}")]
    public static partial void CircuitOpened(ILogger logger, string operation, string failure, TimeSpan breakDuration);

    [LoggerMessage(Level = LogLevel.Information, Message = "AgentMail circuit closed: calls go through again")]
    public static partial void CircuitClosed(ILogger logger);
}
