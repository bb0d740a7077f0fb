using System.ComponentModel.DataAnnotations;

namespace OrdersMail.OrdersApi.Handoffs;

/// <summary>
/// The hand-off reconcile's settings (section <c>Agent:Handoffs</c>): how often it looks for messages an older build
/// labelled without handing them off, and how far back (<see cref="HandoffReconcile"/>).
/// </summary>
public sealed class HandoffReconcileOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Agent:Handoffs";

    /// <summary>How often the reconcile runs (and once at start); ops see such a message at most this late.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan ReconcileEvery { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long ago a message may have been recorded and still be looked at: longer than a rolling upgrade, so a message
    /// the last older replica labelled is still seen after it stops, or after the new replicas were down a while.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan ReconcileLookBack { get; set; } = TimeSpan.FromDays(2);
}
