using System.ComponentModel.DataAnnotations;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>How kept facts are matched to emails that appear later (section <c>Delivery</c>).</summary>
public sealed class PendingDeliveryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Delivery";

    /// <summary>How often kept facts are looked at while there is nothing to apply.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PendingPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Kept facts applied per transaction.</summary>
    [Range(1, 10_000)]
    public int PendingBatchSize { get; set; } = 100;
}
