namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>A <see cref="RelayFixture"/> whose sandbox keeps Resend's real default rate limit, 5 requests per second, and whose client paces itself to it.</summary>
public sealed class RateLimitedRelayFixture : RelayFixture
{
    /// <inheritdoc />
    public override int RequestsPerSecond => 5;
}
