namespace OrdersMail.InboundRouter.Ingress;

/// <summary>The AgentMail event types the router takes (docs/agentmail.md §4); the provisioner subscribes exactly these.</summary>
internal static class AgentMailEventTypes
{
    public const string Received = "message.received";
    public const string Sent = "message.sent";
    public const string Delivered = "message.delivered";
    public const string Bounced = "message.bounced";
}
