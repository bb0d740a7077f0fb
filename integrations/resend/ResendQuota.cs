using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrdersMail.Integrations.Resilience;

namespace OrdersMail.Integrations.Resend;

/// <summary>
/// Resend's quota refusals (429 <c>daily_quota_exceeded</c>, <c>monthly_quota_exceeded</c>: docs/resend.md §3), which
/// no quick retry changes. The first pauses every Resend call of the process for as long as its <c>Retry-After</c>
/// asks (seconds or an HTTP-date), at least <see cref="ResendOptions.ShortestQuotaRetryAfter"/> (or
/// <see cref="ResendOptions.QuotaPause"/> when shorter) and at most <see cref="ResendOptions.LongestQuotaPause"/>, or
/// for <see cref="ResendOptions.QuotaPause"/> when it has none that can be read: the rate gate refuses each
/// call at once, unsent, with the same <see cref="ResendQuotaExceededException"/>, and the first call after the pause
/// asks Resend again. Each pause is logged at Error once, not once per email, so ops learn of the quota plainly, apart
/// from the rate limit's 429s, and its end at Information once, when Resend first accepts a call after it. One per
/// process: the handlers the client factory renews all share it. The pause's state is a <see cref="PauseWindow{TReason}"/>,
/// as the relay's pause of a channel for its account is.
/// </summary>
public sealed partial class ResendQuota(IOptions<ResendOptions> options, TimeProvider time, ILogger<ResendQuota> logger)
{
    private readonly TimeSpan _pause = options.Value.QuotaPause;
    private readonly TimeSpan _shortest = options.Value.QuotaPause < ResendOptions.ShortestQuotaRetryAfter ? options.Value.QuotaPause : ResendOptions.ShortestQuotaRetryAfter;
    private readonly PauseWindow<QuotaRefusal> _window = new(time);

    /// <summary>The refusal of a call made while a pause holds; null when none does.</summary>
    public ResendQuotaExceededException? Refusal() => _window.Holding is { } pause ? Refusal(pause, answered: false) : null;

    /// <summary>
    /// Takes in a quota refusal named <paramref name="name"/>, answered with <paramref name="retryAfter"/> (null when
    /// it had none, or one that could not be read): begins a pause unless one holds (the refusal then answers a call
    /// sent before it began, and joins it), and returns the refusal to raise.
    /// </summary>
    public ResendQuotaExceededException Exceeded(string name, string? message, RetryConditionHeaderValue? retryAfter)
    {
        var refusal = _window.Refused(new QuotaRefusal(name, message), now => PauseFor(retryAfter, now));
        var pause = refusal.Pause;
        if (refusal.Began)
        {
            LogPaused(logger, name, message ?? "no message", pause.Until - pause.Began, retryAfter is null ? "Resend:QuotaPause" : "Resend's Retry-After", pause.Until);
        }

        return Refusal(pause, answered: true);
    }

    /// <summary>Takes in a call Resend accepted: the first after a pause ended is logged, once, as the quota back.</summary>
    public void Accepted()
    {
        if (_window.Accepted() is { } ended)
        {
            LogBack(logger, ended.Reason.Name, ended.Began, ended.Until);
        }
    }

    private static ResendQuotaExceededException Refusal(PauseSpan<QuotaRefusal> pause, bool answered)
    {
        var (name, message) = pause.Reason;
        return new(name, $"Resend refused the send for the team's sending quota ({name}{(message is null ? "" : $": {message}")}); nothing was sent, and no Resend call goes out until {pause.Until:O}.", pause.Until, answered);
    }

    // A date already past asks for no pause at all, which the shortest pause bounds as it does "0".
    private TimeSpan PauseFor(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if ((retryAfter?.Delta ?? retryAfter?.Date - now) is not { } asked)
        {
            return _pause;
        }

        return asked < _shortest ? _shortest : asked > ResendOptions.LongestQuotaPause ? ResendOptions.LongestQuotaPause : asked;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Resend refused a send for the team's sending quota ({Name}: {Message}): every Resend call of this process is refused unsent for {Pause} (from {Basis}), until {Until}, then one asks again; mail stays pending meanwhile")]
    private static partial void LogPaused(ILogger logger, string name, string message, TimeSpan pause, string basis, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resend accepted a call again after the team's sending quota ({Name}) paused every Resend call of this process from {Began} until {Until}: the quota is back")]
    private static partial void LogBack(ILogger logger, string name, DateTimeOffset began, DateTimeOffset until);

    private sealed record QuotaRefusal(string Name, string? Message);
}
