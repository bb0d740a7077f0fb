using System.ComponentModel.DataAnnotations;

namespace OrdersMail.DeliveryTracker.OutboxRetention;

/// <summary>
/// How long the mail outbox keeps files that have done their job: section <c>DeliveryTracker:OutboxRetention</c>
/// (<c>ORDERSMAIL_DeliveryTracker__OutboxRetention__KeepFor</c>...). Each file is an inode of the volume the writers
/// share: kept for good, they fill it, and then every write of a confirmation or reply fails.
/// </summary>
public sealed class OutboxRetentionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "DeliveryTracker:OutboxRetention";

    /// <summary>
    /// How long a file is kept after it was last written. The only reader of <c>sent/</c> is orders-api's agent, which
    /// looks for a reply a dead run left while it takes the reply's claim over: at most <c>Agent:Replies:MaxAttempts</c>
    /// (at most 100) times <c>RewriteAfter</c> (at most 1 h) after the claim, about 4.2 days at the longest settings
    /// they take (10 minutes by default). Hence at least 5 days, checked at start.
    /// </summary>
    [Range(typeof(TimeSpan), "5.00:00:00", "365.00:00:00")]
    public TimeSpan KeepFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the sweep runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Every { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The most files one sweep removes from each folder, so a folder that grew large (before this sweep existed) is
    /// worked off over several sweeps instead of one long burst of disk work beside the relay's.
    /// </summary>
    [Range(100, 100_000)]
    public int BatchSize { get; set; } = 5_000;
}
