namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>How publishing one row went.</summary>
/// <param name="Error">Why it failed; null when it was confirmed or the relay is stopping.</param>
/// <param name="BrokerFailed">The broker failed it (no confirm, a connection or channel error), not the row.</param>
/// <param name="Stopped">The relay is stopping: neither confirmed nor failed, the row stays as it was.</param>
internal readonly record struct PublishOutcome(string? Error, bool BrokerFailed, bool Stopped)
{
    public static PublishOutcome Published => new(null, false, false);

    public static PublishOutcome Stopping => new(null, false, true);

    public static PublishOutcome BrokerFailure(string error) => new(error, true, false);

    public static PublishOutcome Unpublishable(string error) => new(error, false, false);
}
