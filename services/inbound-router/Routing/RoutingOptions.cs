namespace OrdersMail.InboundRouter.Routing;

/// <summary>Routing's settings: section <c>InboundRouter:Routing</c> (<c>ORDERSMAIL_InboundRouter__Routing__...</c>).</summary>
public sealed class RoutingOptions
{
    /// <summary>The section's name under the service's own.</summary>
    public const string Section = "InboundRouter:Routing";

    /// <summary>Most received emails one routing transaction decides and records (one commit, one lookup per table for all).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a batch waits for more emails after its first: the most routing latency batching adds.</summary>
    public TimeSpan BatchWait { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Batches routed at once: while one commits, the next one decides.</summary>
    public int Batches { get; set; } = 2;

    /// <summary>
    /// How long an inbox's <c>metadata.order_ref</c> read from AgentMail is reused without asking again, unless the bus
    /// says sooner that the inbox's order changed (<c>InboxReady</c>).
    /// </summary>
    public TimeSpan OrderRefCacheFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the values make sense together.</summary>
    internal bool IsValid => BatchSize > 0 && BatchWait > TimeSpan.Zero && Batches > 0 && OrderRefCacheFor >= TimeSpan.Zero;
}
