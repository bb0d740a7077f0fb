using OrdersMail.OrdersApi.Sweeping;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// The reply sweeper's settings (section <c>Agent:Replies</c>): when a claim left unwritten is taken over, and how often
/// before it is given up.
/// </summary>
public sealed class AgentReplyOptions : ClaimSweepOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Agent:Replies";

    /// <summary>
    /// The defaults; a claim is taken over after two minutes, past the consumer's own retries (each may wait for the
    /// model's timeout), so the sweeper's attempts are not spent while the consumer still tries.
    /// </summary>
    public AgentReplyOptions() => RewriteAfter = TimeSpan.FromMinutes(2);
}
