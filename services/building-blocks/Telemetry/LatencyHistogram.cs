using System.Diagnostics.Metrics;

namespace OrdersMail.BuildingBlocks.Telemetry;

/// <summary>
/// How every latency histogram of ours is created: in milliseconds, with bucket boundaries from a millisecond to a
/// day. The OpenTelemetry SDK's default boundaries stop at 10 s, so every longer wait (a broker outage's publish lag,
/// a relay's retries and quota pauses) landed in +Inf and a 99th percentile read 10,000 ms during the very incidents
/// ops look at it for. The boundaries travel as the instrument's advice, which the SDK applies unless a view says
/// otherwise, so no service's meter provider needs a view of its own.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>
    /// Up to 10 s, the SDK's default boundaries less 75, 750 and 7,500 ms (an outbox publish, a relay's pick-up on a
    /// wake-up; 2.5 s to 10 s for the relay's scan interval and its first doubling retry delays, 2, 4, 8 s); 30 s and
    /// 1 min for its claim lease and account pause; 5 min for its longest retry delay; 15 min and 1 h for broker,
    /// database and provider outages; 6 h and 1 day for quota pauses, a provider's daily quota at the longest. Twenty
    /// buckets a series, four more than the default.
    /// </summary>
    public static IReadOnlyList<double> MillisecondBoundaries { get; } =
    [
        1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000,
        300_000, 900_000, 3_600_000, 21_600_000, 86_400_000,
    ];

    /// <summary>Creates a histogram of durations in milliseconds on <paramref name="meter"/>, advising <see cref="MillisecondBoundaries"/>.</summary>
    public static Histogram<double> CreateLatencyHistogram(this Meter meter, string name, string description)
    {
        ArgumentNullException.ThrowIfNull(meter);
        return meter.CreateHistogram(
            name,
            "ms",
            description,
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBoundaries });
    }
}
