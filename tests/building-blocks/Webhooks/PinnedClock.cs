namespace OrdersMail.BuildingBlocks.Tests.Webhooks;

/// <summary>A clock stopped at one instant, so the verifier's tolerance can be checked to the second.</summary>
public sealed class PinnedClock(long unixSeconds) : TimeProvider
{
    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
}
