namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// The longest MassTransit's exponential retry (8.5, <c>ExponentialRetryPolicy</c>) can wait in all between the attempts
/// of one message, configured as the endpoints configure it (the interval delta is the minimum): retry i, from 0, waits
/// min(minimum + 2^i × delta × [0.8, 1.2), maximum), the maximum again once it is reached, each wait times a jitter in
/// [0.75, 1.25). The message is held unacknowledged through all of them.
/// </summary>
public static class RetryHold
{
    private const double MostDeltaFactor = 1.2;
    private const double MostJitter = 1.25;

    /// <summary>The longest wait in all of <paramref name="limit"/> retries from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static TimeSpan Longest(int limit, TimeSpan min, TimeSpan max)
    {
        var total = 0.0;
        for (var retry = 0; retry < limit; retry++)
        {
            var wait = min.TotalMilliseconds + (Math.Pow(2, retry) * min.TotalMilliseconds * MostDeltaFactor);
            if (wait >= max.TotalMilliseconds)
            {
                // Every later retry waits the maximum too.
                total += (limit - retry) * max.TotalMilliseconds;
                break;
            }

            total += wait;
        }

        return TimeSpan.FromMilliseconds(total * MostJitter);
    }
}
