namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// Bounded exponential backoff with jitter: the pause doubles with each consecutive failure from
/// <c>min</c> up to <c>max</c>, and each pause is drawn from its upper half so that replicas which failed
/// together (a broker restart) do not all retry at the same instant.
/// </summary>
public sealed class OutboxBackoff(TimeSpan min, TimeSpan max)
{
    private int _failures;

    /// <summary>The pause after one more failure.</summary>
    public TimeSpan Next()
    {
        var ceiling = Math.Min(min.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 20)), max.TotalMilliseconds);
        _failures++;
        var jittered = ceiling * (0.5 + (Random.Shared.NextDouble() / 2));
        return TimeSpan.FromMilliseconds(Math.Max(jittered, Math.Min(min.TotalMilliseconds, ceiling)));
    }

    /// <summary>Forgets the failures after a success.</summary>
    public void Reset() => _failures = 0;
}
