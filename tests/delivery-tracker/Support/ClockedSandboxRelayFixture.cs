using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>
/// A <see cref="RelayFixture"/> whose sandbox keeps the time of a clock its specs move: a day passes at Resend and
/// AgentMail in an instant, and the idempotency keys of the sends before it expire. It starts at the real time and stands still until moved.
/// </summary>
public sealed class ClockedSandboxRelayFixture : RelayFixture
{
    /// <summary>The sandbox's clock.</summary>
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <inheritdoc />
    public override TimeProvider SandboxClock => Clock;
}
