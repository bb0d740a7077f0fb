using OrdersMail.Contracts.Outbound;
using OrdersMail.Integrations.Resilience;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// One channel's pause after its provider refused a send for the account (<see cref="AccountRefusals"/>): for
/// <see cref="RelayOptions.AccountPause"/> every send through the channel in this process is put off unsent
/// (<see cref="SendOutcome.Deferred"/>, no attempt counted, the email waiting in <c>email/</c>), then the first asks
/// the provider again, and a refusal again begins the next pause. An outage is logged at Error once, naming the provider
/// and its answer (never the key, which the relay does not hold here), not once per email or per pause, and again only
/// when the answer changes; the first send accepted after it at Information once. As Resend's quota pause
/// (<c>ResendQuota</c>) does, on the same <see cref="PauseWindow{TReason}"/>, but per channel: a bad Resend key leaves
/// agent replies going out through AgentMail.
/// </summary>
public sealed partial class ProviderPause(EmailProvider provider, TimeSpan length, TimeProvider time, ILogger<ProviderPause> logger)
{
    private readonly PauseWindow<string> _window = new(time);

    /// <summary>What a send asked for while a pause holds comes to; null when none does.</summary>
    public SendOutcome.Deferred? Deferral() => _window.Holding is { } pause ? Deferred(pause) : null;

    /// <summary>
    /// Takes in the provider's refusal of a send for the account (<paramref name="answer"/>, its status, code and
    /// message): begins a pause unless one holds (the refusal then answers a send made before it began, and joins it),
    /// and returns what the send comes to.
    /// </summary>
    public SendOutcome.Deferred Refused(string answer)
    {
        var refusal = _window.Refused(answer, _ => length);
        if (refusal.Began && refusal.Before?.Reason != answer)
        {
            LogPaused(logger, provider, answer, length, refusal.Pause.Until);
        }
        else if (refusal.Began)
        {
            LogStillPaused(logger, provider, refusal.Pause.OutageBegan, refusal.Pause.Until);
        }

        return Deferred(refusal.Pause);
    }

    /// <summary>Takes in a send the provider accepted: the first after a pause ended is logged, once, as the account back.</summary>
    public void Accepted()
    {
        if (_window.Accepted() is { } ended)
        {
            LogBack(logger, provider, ended.Reason, ended.OutageBegan);
        }
    }

    private SendOutcome.Deferred Deferred(PauseSpan<string> pause) => new(
        $"{provider} refused sends for the account, not this email ({pause.Reason}); nothing was sent, and no {provider} send goes out until {pause.Until:O}, when one asks again.",
        pause.Until);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Provider} refused a send for the account, not the email ({Answer}): its API key, permission or sending domain needs putting right, and every send of this relay through it waits unsent for {Pause}, until {Until}, then one asks again; the emails stay pending in email/, no attempt counted (ordersmail.relay.held_back)")]
    private static partial void LogPaused(ILogger logger, EmailProvider provider, string answer, TimeSpan pause, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Provider} still refuses sends for the account, as since {Began}: they wait again until {Until}")]
    private static partial void LogStillPaused(ILogger logger, EmailProvider provider, DateTimeOffset began, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} accepted a send again after refusing them for the account ({Answer}) since {Began}: its sends go out again")]
    private static partial void LogBack(ILogger logger, EmailProvider provider, string answer, DateTimeOffset began);
}
