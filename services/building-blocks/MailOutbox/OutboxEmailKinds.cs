namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>The kinds of email OrdersMail writes; other writers may use their own.</summary>
public static class OutboxEmailKinds
{
    /// <summary>The order confirmation, sent through Resend with the customer's inbox as Reply-To.</summary>
    public const string OrderConfirmation = "order_confirmation";

    /// <summary>The agent's answer, sent from the customer's inbox through AgentMail's reply endpoint.</summary>
    public const string AgentReply = "agent_reply";
}
