using OrdersMail.InboxProvisioner.Steps;

namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>
/// The saga's bookkeeping of a deferred step (AgentMail unavailable, or the customer's lease busy): the first <see cref="ProvisioningOptions.StepRetries"/>
/// deferrals of a step schedule its retry (<see cref="ProvisioningState.RetryAt"/>) after a growing, jittered wait; the
/// next one leaves the step to the sweeper. Each deferral is logged at Warning once, with when the step is asked again.
/// </summary>
internal static partial class StepRetrySchedule
{
    /// <summary>Schedules the deferred step's next retry, or leaves it to the sweeper once its retries are used up.</summary>
    public static void Defer(ProvisioningState saga, ProvisioningStepDeferred deferred, ProvisioningOptions limits, ILogger logger)
    {
        if (TrySchedule(saga, deferred, limits, logger))
        {
            return;
        }

        saga.Record(ProvisioningSteps.Deferral, "left-to-sweeper", $"{deferred.Step} (its {limits.StepRetries} retries used up; asked again after {limits.StepTimeout}): {deferred.Reason}");
        LogLeftToSweeper(logger, deferred.Step, saga.CorrelationId, limits.StepRetries, limits.StepTimeout, deferred.Reason);
    }

    /// <summary>
    /// Schedules the next retry of a failed saga's final read-back; once its retries are used up, what it would have
    /// deleted is left to the webhook watch, which finds a webhook that differs from what was asked for.
    /// </summary>
    public static void DeferFinalReadBack(ProvisioningState saga, ProvisioningStepDeferred deferred, ProvisioningOptions limits, ILogger logger)
    {
        if (TrySchedule(saga, deferred, limits, logger))
        {
            return;
        }

        saga.Record(ProvisioningSteps.Deferral, "left-to-webhook-watch", $"{deferred.Step} (the final read-back's {limits.StepRetries} retries used up): {deferred.Reason}");
        LogLeftToWebhookWatch(logger, saga.CorrelationId, limits.StepRetries, deferred.Reason);
    }

    private static bool TrySchedule(ProvisioningState saga, ProvisioningStepDeferred deferred, ProvisioningOptions limits, ILogger logger)
    {
        if (saga.Deferrals >= limits.StepRetries)
        {
            saga.RetryAt = null;
            return false;
        }

        saga.Deferrals++;
        var retryAt = DateTimeOffset.UtcNow + Jittered(limits.StepRetryDelayBefore(saga.Deferrals));
        saga.RetryAt = retryAt;
        saga.Record(ProvisioningSteps.Deferral, "retry-scheduled", $"{deferred.Step} (retry {saga.Deferrals} of {limits.StepRetries}, at {retryAt:O}): {deferred.Reason}");
        LogRetryScheduled(logger, deferred.Step, saga.CorrelationId, saga.Deferrals, limits.StepRetries, retryAt, deferred.Reason);
        return true;
    }

    /// <summary>The scheduled retry is due: the step is asked again now.</summary>
    public static void Retried(ProvisioningState saga, string step, ProvisioningOptions limits)
    {
        saga.RetryAt = null;
        saga.Record(ProvisioningSteps.Deferral, "asked-again", $"{step} (retry {saga.Deferrals} of {limits.StepRetries})");
    }

    // Sagas refused in the same burst come back spread out instead of together.
    private static TimeSpan Jittered(TimeSpan wait) =>
        wait * (1 + (ProvisioningOptions.StepRetryJitter * ((2 * Random.Shared.NextDouble()) - 1)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Step} step of order {OrderId} was deferred ({Reason}); retry {Retry} of {Retries} at {RetryAt:O}")]
    private static partial void LogRetryScheduled(ILogger logger, string step, Guid orderId, int retry, int retries, DateTimeOffset retryAt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The final webhook read-back of failed order {OrderId} was deferred ({Reason}) after its {Retries} retries; the webhook watch is left to find what it would have deleted")]
    private static partial void LogLeftToWebhookWatch(ILogger logger, Guid orderId, int retries, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Step} step of order {OrderId} was deferred ({Reason}) after its {Retries} retries; the sweeper asks again after {StepTimeout}")]
    private static partial void LogLeftToSweeper(ILogger logger, string step, Guid orderId, int retries, TimeSpan stepTimeout, string reason);
}
