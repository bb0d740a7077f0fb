using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Steps;

/// <summary>
/// The log of AgentMail refusing the steps' calls for the account (<see cref="AgentMailException.IsAccountRefusal"/>):
/// every step of every order meets it until ops put the key right, so it is logged at Error once per outage, naming
/// AgentMail's status and code (never the key, which AgentMail's answer does not carry), not once per step, and again
/// only when the answer changes; the first step that finishes after it at Information once. As the relay's
/// ProviderPause does for sends; what each step does meanwhile is deferral's (<see cref="StepDeferral"/>).
/// </summary>
public sealed partial class AccountRefusalLog(TimeProvider time, ILogger<AccountRefusalLog> logger)
{
    private readonly Lock _lock = new();

    // The outage under way, until a step finishes; null when none is.
    private volatile Outage? _outage;

    /// <summary>Takes in a refusal of a step's call for the account: logged at Error when it begins an outage or changes its answer.</summary>
    public void Refused(string step, Guid orderId, AgentMailException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var answer = $"{refusal.StatusCode} {refusal.Code ?? "(no code)"}";
        Outage? before;
        lock (_lock)
        {
            before = _outage;
            if (before?.Answer != answer)
            {
                _outage = new Outage(answer, before?.Began ?? time.GetUtcNow());
            }
        }

        if (before?.Answer != answer)
        {
            LogRefused(logger, answer, step, orderId, refusal.Message);
        }
        else
        {
            LogStillRefused(logger, step, orderId, answer, before.Began);
        }
    }

    /// <summary>Takes in a step that finished: the first after an outage is logged, once, as AgentMail answering again.</summary>
    public void Finished()
    {
        if (_outage is null)
        {
            return;
        }

        Outage? ended;
        lock (_lock)
        {
            ended = _outage;
            _outage = null;
        }

        if (ended is not null)
        {
            LogBack(logger, ended.Answer, ended.Began);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "AgentMail refused provisioning for the account, not the order ({Answer}, first in the {Step} step of order {OrderId}: {Refusal}): the provisioner's API key (InboxProvisioner:AgentMail:ApiKey) or its permission needs putting right. Every order's steps are deferred meanwhile, within StepRetries and MaxResumes, and fail after them")]
    private static partial void LogRefused(ILogger logger, string answer, string step, Guid orderId, string refusal);

    [LoggerMessage(Level = LogLevel.Debug, Message = "AgentMail still refuses the {Step} step of order {OrderId} for the account ({Answer}), as since {Began}; the step is deferred")]
    private static partial void LogStillRefused(ILogger logger, string step, Guid orderId, string answer, DateTimeOffset began);

    [LoggerMessage(Level = LogLevel.Information, Message = "A provisioning step finished again after AgentMail refused them for the account ({Answer}) since {Began}")]
    private static partial void LogBack(ILogger logger, string answer, DateTimeOffset began);

    private sealed record Outage(string Answer, DateTimeOffset Began);
}
