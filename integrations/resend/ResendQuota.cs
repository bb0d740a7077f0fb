using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrdersMail.Integrations.Resend;

/// <summary>
/// Resend's quota refusals (429 <c>daily_quota_exceeded</c>, <c>monthly_quota_exceeded</c>: docs/resend.md §3), which
/// no quick retry changes. The first pauses every Resend call of the process for <see cref="ResendOptions.QuotaPause"/>:
/// the rate gate refuses each at once, unsent, with the same <see cref="ResendQuotaExceededException"/>, and the first
/// call after the pause asks Resend again. Each pause is logged at Error once, not once per email, so ops learn of the
/// quota plainly, apart from the rate limit's 429s. One per process: the handlers the client factory renews all share it.
/// </summary>
public sealed partial class ResendQuota(IOptions<ResendOptions> options, TimeProvider time, ILogger<ResendQuota> logger)
{
    private readonly TimeSpan _pause = options.Value.QuotaPause;
    private readonly Lock _lock = new();
    private volatile Hold? _hold;

    /// <summary>The refusal of a call made while a pause holds; null when none does.</summary>
    public ResendQuotaExceededException? Refusal() => _hold is { } hold && hold.Until > time.GetUtcNow() ? hold.Refusal() : null;

    /// <summary>
    /// Takes in a quota refusal named <paramref name="name"/>: begins a pause unless one holds (the refusal then answers a
    /// call sent before it began, and joins it), and returns the refusal to raise.
    /// </summary>
    public ResendQuotaExceededException Exceeded(string name, string? message)
    {
        Hold hold;
        var began = false;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_hold is not { } current || current.Until <= now)
            {
                _hold = new Hold(name, message, now + _pause);
                began = true;
            }

            hold = _hold;
        }

        if (began)
        {
            LogPaused(logger, hold.Name, hold.Message ?? "no message", _pause, hold.Until);
        }

        return hold.Refusal();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Resend refused a send for the team's sending quota ({Name}: {Message}): every Resend call of this process is refused unsent for {Pause}, until {Until}, then one asks again; mail stays pending meanwhile")]
    private static partial void LogPaused(ILogger logger, string name, string message, TimeSpan pause, DateTimeOffset until);

    private sealed record Hold(string Name, string? Message, DateTimeOffset Until)
    {
        public ResendQuotaExceededException Refusal() => new(
            Name, $"Resend refused the send for the team's sending quota ({Name}{(Message is null ? "" : $": {Message}")}); nothing was sent, and no Resend call goes out until {Until:O}.", Until);
    }
}
