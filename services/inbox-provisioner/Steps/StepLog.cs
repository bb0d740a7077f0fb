using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Steps;

/// <summary>What the step consumers log alike.</summary>
public static partial class StepLog
{
    /// <summary>
    /// AgentMail stayed unavailable through the client's own retries. The command is not retried by the bus on top
    /// (that would hold a connection through a second round of the same retries): the saga stays in its step and the
    /// sweeper asks again after <see cref="ProvisioningOptions.StepTimeout"/>, which is what outlasts a long outage.
    /// </summary>
    public static void AgentMailUnavailable(ILogger logger, string step, Guid orderId, AgentMailUnavailableException exception, TimeSpan stepTimeout)
    {
        ArgumentNullException.ThrowIfNull(exception);
        LogUnavailable(logger, step, orderId, exception.Reason, stepTimeout, exception);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AgentMail is unavailable ({Reason}) for the {Step} step of order {OrderId}; the sweeper asks again after {StepTimeout}")]
    private static partial void LogUnavailable(ILogger logger, string step, Guid orderId, AgentMailUnavailableReason reason, TimeSpan stepTimeout, Exception exception);
}
