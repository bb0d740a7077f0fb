using System.ComponentModel.DataAnnotations;

namespace OrdersMail.OrdersApi.Sweeping;

/// <summary>
/// The settings every <see cref="ClaimSweeper{TOptions}"/> shares: how often it looks, how many claims a look takes, how
/// long a claim may stay unwritten before the sweeper takes it to be its writer's failure and writes it again, and how
/// often it tries before it gives the claim up.
/// </summary>
public abstract class ClaimSweepOptions
{
    /// <summary>How often the sweeper looks for claims left unwritten (and whatever else its feature sweeps for).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Claims taken per sweep transaction.</summary>
    [Range(1, 1000)]
    public int SweepBatchSize { get; set; } = 50;

    /// <summary>How long a claim may stay unwritten before the sweeper takes it to be its writer's failure and writes it again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RewriteAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times the sweeper takes a claim over before it gives it up, for good.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;
}
