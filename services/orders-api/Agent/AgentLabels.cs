namespace OrdersMail.OrdersApi.Agent;

/// <summary>The labels the agent puts on an inbound message for the people who read the conversation.</summary>
public static class AgentLabels
{
    /// <summary>The sender is not the order's address: a person should look before anything is done for them.</summary>
    public const string NeedsReview = "needs-review";

    /// <summary>The customer asked for something only a person can do (cancel, refund, address change).</summary>
    public const string NeedsAction = "needs-action";
}
