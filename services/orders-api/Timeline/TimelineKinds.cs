namespace OrdersMail.OrdersApi.Timeline;

/// <summary>The kinds of <see cref="TimelineEntry"/>, stable names a client may branch on.</summary>
public static class TimelineKinds
{
    /// <summary>The order was accepted.</summary>
    public const string OrderPlaced = "order_placed";

    /// <summary>The customer's inbox: ready, failed, or still being provisioned.</summary>
    public const string Inbox = "inbox";

    /// <summary>The order confirmation: claimed and being written, written to the mail outbox, or given up (failed).</summary>
    public const string Confirmation = "confirmation";

    /// <summary>An email of the order was queued in the outbox.</summary>
    public const string EmailQueued = "email_queued";

    /// <summary>An email of the order reached a later delivery state (sent, delivered, bounced, failed...).</summary>
    public const string EmailState = "email_state";

    /// <summary>A message came into the conversation.</summary>
    public const string MessageIn = "message_in";

    /// <summary>A message of ours went out in the conversation.</summary>
    public const string MessageOut = "message_out";

    /// <summary>The agent's reply to a message: claimed and being written, written to the outbox, or given up (failed).</summary>
    public const string AgentReply = "agent_reply";
}

/// <summary>How a <see cref="TimelineEntry"/> went.</summary>
public static class TimelineTones
{
    /// <summary>Something happened; nothing to act on.</summary>
    public const string Info = "info";

    /// <summary>A step finished well (an inbox ready, an email delivered).</summary>
    public const string Good = "good";

    /// <summary>Someone may want to look (an unverified sender, a delay, a fallback Reply-To).</summary>
    public const string Warning = "warning";

    /// <summary>Something failed (provisioning failed, an email bounced or failed): shown in red.</summary>
    public const string Problem = "problem";
}
