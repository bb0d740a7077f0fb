namespace OrdersMail.OrdersApi.Agent;

/// <summary>What the agent decided about one inbound message, inside the transaction that recorded it.</summary>
/// <param name="NoAnswer">Why no reply is written, or null when one is.</param>
/// <param name="Request">What the composer gets, when a reply is written.</param>
/// <param name="Claim">The reply's claim in <c>agent_replies</c>, when a reply is written.</param>
internal sealed record ReplyDecision(NoAnswer? NoAnswer, ReplyRequest? Request, AgentReplyClaim? Claim)
{
    /// <summary>No reply, for <paramref name="reason"/>.</summary>
    public static ReplyDecision None(NoAnswer reason) => new(reason, null, null);

    /// <summary>A reply composed from <paramref name="request"/>, written under <paramref name="claim"/>.</summary>
    public static ReplyDecision Answer(ReplyRequest request, AgentReplyClaim claim) => new(null, request, claim);
}
