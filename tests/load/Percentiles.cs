namespace OrdersMail.Load;

/// <summary>Nearest-rank percentiles of measured durations.</summary>
public static class Percentiles
{
    /// <summary>The <paramref name="percentile"/>th percentile (0–100) of <paramref name="sorted"/>, which must be sorted.</summary>
    public static double Of(IReadOnlyList<double> sorted, double percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
