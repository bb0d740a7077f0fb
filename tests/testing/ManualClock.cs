namespace OrdersMail.Testing;

/// <summary>
/// A clock that stands still until a spec moves it, for time-based rules (token lifetimes, signature tolerance,
/// idempotency windows, rate-limit refills). Its timestamps follow the same time, so elapsed-time checks agree.
/// </summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    /// <summary>A clock at an arbitrary fixed instant.</summary>
    public ManualClock()
        : this(new DateTimeOffset(2026, 9, 1, 10, 0, 0, TimeSpan.Zero))
    {
    }

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>A clock at <paramref name="unixSeconds"/>.</summary>
    public static ManualClock At(long unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;

    /// <inheritdoc />
    public override long GetTimestamp() => _now.UtcTicks;

    /// <summary>Moves the clock on.</summary>
    public void Advance(TimeSpan by) => _now += by;

    /// <summary>Sets the clock to <paramref name="unixSeconds"/>, for a fixture's clock shared by a class's specs.</summary>
    public void Reset(long unixSeconds) => _now = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
}
