using System.ComponentModel.DataAnnotations;

namespace OrdersMail.BuildingBlocks.Housekeeping;

/// <summary>How long bookkeeping rows are kept: section <c>{service section}:Retention</c> (orders-api's is <c>OrdersApi:Retention</c>).</summary>
public sealed class RetentionOptions
{
    /// <summary>The section's name under the service's own section.</summary>
    public const string Section = "Retention";

    /// <summary>
    /// How long a consumed message id and a published outbox row are kept. A redelivery or republish older
    /// than this is no longer recognised, so it must be far longer than any broker redelivery or outage.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan KeepFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the sweep runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Every { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement, so a sweep never holds long locks.</summary>
    [Range(100, 100_000)]
    public int BatchSize { get; set; } = 5_000;
}
