namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>A clock that stands still until a test moves it.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    /// <summary>A clock at <paramref name="unixSeconds"/>.</summary>
    public static ManualClock At(long unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock on.</summary>
    public void Advance(TimeSpan by) => _now += by;

    /// <summary>Sets the clock to <paramref name="unixSeconds"/>, for a fixture's clock shared by a class's specs.</summary>
    public void Reset(long unixSeconds) => _now = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
}
