using System.Text.Json;
using MassTransit;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Steps;

/// <summary>
/// What a step consumer does when AgentMail stayed unavailable through the client's own retries, answered what cannot
/// be read (no body, not JSON, a charset .NET cannot decode: AgentMail misbehaving, as a 5xx is), refused the call for
/// the account rather than the order (<see cref="AgentMailException.IsAccountRefusal"/>: a key unknown or revoked, a
/// permission it lacks, which every order meets until ops put it right, and after which the same call goes through), or
/// the customer's lease stayed another step's through its wait (that step slow at AgentMail, most likely): it tells the saga
/// (<see cref="ProvisioningStepDeferred"/>) and lets the command go. It neither waits nor lets the bus retry it: either
/// would hold one of the endpoint's few consumer slots (<see cref="ProvisioningOptions.StepConcurrency"/>) for the
/// length of the wait. The saga schedules the step's retry, with backoff, or leaves it to the sweeper once its
/// retries are used up; the customer's lease is already released when this runs.
/// </summary>
public static partial class StepDeferral
{
    /// <summary>
    /// Runs a step's work (<paramref name="work"/>) under its span, <paramref name="spanName"/>, and defers the step
    /// when AgentMail stayed unavailable through it, answered what cannot be read or refused it for the account, or the
    /// customer's lease stayed busy: it is logged and counted, and the saga told, naming the saga's <paramref name="run"/>
    /// that asked. A refusal for the account is logged once per outage (<paramref name="refusals"/>), which a step that
    /// finishes ends.
    /// </summary>
    public static async Task RunAsync(
        ConsumeContext context,
        ILogger logger,
        ProvisioningTelemetry telemetry,
        AccountRefusalLog refusals,
        string step,
        string spanName,
        Guid orderId,
        int? run,
        string? orderRef,
        Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(refusals);
        ArgumentNullException.ThrowIfNull(work);
        using var activity = telemetry.StartStep(spanName, orderId, orderRef);
        try
        {
            await work();
            refusals.Finished();
        }
        catch (AgentMailUnavailableException e)
        {
            LogUnavailable(logger, step, orderId, e.Reason, e);
            await DeferAsync(context, telemetry, step, orderId, run, e.Message);
        }
        catch (JsonException e)
        {
            // Not a refusal: the call may have taken effect (every step's calls are idempotent), and AgentMail may answer
            // properly when asked again. Left to the bus, it was retried at once and dead-lettered, and the saga failed
            // minutes later with a reason that said nothing of AgentMail.
            var reason = $"AgentMail's answer could not be read: {e.Message}";
            LogUnreadable(logger, step, orderId, reason, e);
            await DeferAsync(context, telemetry, step, orderId, run, reason);
        }
        catch (AgentMailException e) when (e.IsAccountRefusal)
        {
            // Failed at the first refusal, every order placed while a key was bad or short of a permission failed, each to
            // be retried by ops (and each customer's confirmation went out with the default Reply-To meanwhile). Within
            // the same bounds as an outage, a key never put right still ends in a failure that says so.
            refusals.Refused(step, orderId, e);
            await DeferAsync(context, telemetry, step, orderId, run, AccountReason(e));
        }
        catch (CustomerLeaseBusyException e)
        {
            LogLeaseBusy(logger, step, orderId, e.Message);
            await DeferAsync(context, telemetry, step, orderId, run, e.Message);
        }
    }

    // What the saga records, and a saga that fails after its retries and resumes gives as its reason's last deferral:
    // AgentMail's status and code, and what ops must do.
    private static string AccountReason(AgentMailException refusal) =>
        $"AgentMail refused the call for the account, not this order ({refusal.Message}): the provisioner's API key "
        + "(InboxProvisioner:AgentMail:ApiKey) or its permission needs putting right";

    private static async Task DeferAsync(ConsumeContext context, ProvisioningTelemetry telemetry, string step, Guid orderId, int? run, string reason)
    {
        telemetry.StepDeferred(step);
        await context.Publish(new ProvisioningStepDeferred(orderId, step, reason, run), context.CancellationToken);
    }

    // Information: the saga logs the deferral at Warning, with when the step is asked again.
    [LoggerMessage(Level = LogLevel.Information, Message = "AgentMail is unavailable ({Reason}) for the {Step} step of order {OrderId}; the step is deferred")]
    private static partial void LogUnavailable(ILogger logger, string step, Guid orderId, AgentMailUnavailableReason reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Step} step of order {OrderId} is deferred: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string step, Guid orderId, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Step} step of order {OrderId} waited for its customer's lease in vain ({Reason}); the step is deferred")]
    private static partial void LogLeaseBusy(ILogger logger, string step, Guid orderId, string reason);
}
