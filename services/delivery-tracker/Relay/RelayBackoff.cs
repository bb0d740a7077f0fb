namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>How long an email waits after a transient failure: doubling from <see cref="RelayOptions.RetryBaseDelay"/>, capped, ±20 % jitter so a burst of failures does not come back as one burst.</summary>
public static class RelayBackoff
{
    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1 for the first).</summary>
    public static TimeSpan Delay(RelayOptions options, int attempt)
    {
        ArgumentNullException.ThrowIfNull(options);
        var doubled = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var capped = Math.Min(doubled, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }
}
