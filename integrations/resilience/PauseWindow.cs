namespace OrdersMail.Integrations.Resilience;

/// <summary>
/// A pause of a provider's calls after a refusal no quick retry changes (a spent quota, a refused API key): the first
/// such refusal begins it, a refusal of a call sent before it began joins it, and time ends it. The last pause is kept
/// after it ends until the provider accepts a call, so the outage's end is reported once, however many calls race to
/// report it, and a refusal after the pause ran out begins the next one as part of the same outage. What a pause means
/// (which calls it holds back, what is logged) is its owner's; this keeps only the state, under one lock.
/// </summary>
/// <typeparam name="TReason">What the refusal said, kept with the pause for its owner's log lines and answers.</typeparam>
public sealed class PauseWindow<TReason>(TimeProvider time)
    where TReason : notnull
{
    private readonly Lock _lock = new();

    private volatile PauseSpan<TReason>? _last;

    /// <summary>The pause holding now; null when none does.</summary>
    public PauseSpan<TReason>? Holding => _last is { } last && last.Until > time.GetUtcNow() ? last : null;

    /// <summary>
    /// Takes in a refusal for <paramref name="reason"/>: unless a pause holds, begins one lasting
    /// <paramref name="length"/> of the moment it begins; otherwise the refusal joins the pause that holds.
    /// </summary>
    public PauseRefusal<TReason> Refused(TReason reason, Func<DateTimeOffset, TimeSpan> length)
    {
        ArgumentNullException.ThrowIfNull(length);
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var before = _last;
            if (before is not null && before.Until > now)
            {
                return new PauseRefusal<TReason>(before, Began: false, Before: null);
            }

            var pause = new PauseSpan<TReason>(reason, before?.OutageBegan ?? now, now, now + length(now));
            _last = pause;
            return new PauseRefusal<TReason>(pause, Began: true, Before: before);
        }
    }

    /// <summary>
    /// Takes in a call the provider accepted: returns the last pause when it has ended and this is the first acceptance
    /// after it (the outage is over, to be reported once); null otherwise.
    /// </summary>
    public PauseSpan<TReason>? Accepted()
    {
        if (_last is not { } last || last.Until > time.GetUtcNow())
        {
            return null;
        }

        lock (_lock)
        {
            if (!ReferenceEquals(_last, last))
            {
                return null;
            }

            _last = null;
        }

        return last;
    }
}

/// <summary>One pause of a <see cref="PauseWindow{TReason}"/>.</summary>
/// <param name="Reason">What the refusal that began it said.</param>
/// <param name="OutageBegan">When the first pause of the outage began: pauses that follow one another, with no call accepted between them, are one outage.</param>
/// <param name="Began">When this pause began.</param>
/// <param name="Until">When it ends, and the next call asks the provider again.</param>
public sealed record PauseSpan<TReason>(TReason Reason, DateTimeOffset OutageBegan, DateTimeOffset Began, DateTimeOffset Until);

/// <summary>What a refusal came to in a <see cref="PauseWindow{TReason}"/>.</summary>
/// <param name="Pause">The pause holding now.</param>
/// <param name="Began">Whether this refusal began it, rather than joining one that held.</param>
/// <param name="Before">The ended pause of the same outage this one follows, when this refusal began one after it.</param>
public readonly record struct PauseRefusal<TReason>(PauseSpan<TReason> Pause, bool Began, PauseSpan<TReason>? Before);
