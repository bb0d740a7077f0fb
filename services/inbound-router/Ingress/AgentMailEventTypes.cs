using System.Collections.Frozen;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter.Ingress;

/// <summary>The AgentMail event types the router takes (docs/agentmail.md §4); the provisioner subscribes exactly these.</summary>
internal static class AgentMailEventTypes
{
    public const string Received = "message.received";

    // Mail whose sender AgentMail could not authenticate (SPF, DKIM, DMARC): recorded like any received mail, and parked.
    public const string ReceivedUnauthenticated = "message.received.unauthenticated";

    // Mail AgentMail's filter took for spam, perhaps a customer's genuine reply: recorded like any received mail, and parked.
    public const string ReceivedSpam = "message.received.spam";
    public const string Sent = "message.sent";
    public const string Delivered = "message.delivered";
    public const string Bounced = "message.bounced";

    // A recipient marked an agent reply as spam: the order shows it, and AgentMail sends that address nothing more.
    public const string Complained = "message.complained";

    // AgentMail accepted an agent reply and then sent none of it: the reply failed.
    public const string Rejected = "message.rejected";

    /// <summary>What AgentMail classed the mail of a received event as; null for an event that is not received mail.</summary>
    public static ReceivedMailClasses? ReceivedAs(string eventType) => eventType switch
    {
        Received => ReceivedMailClasses.None,
        ReceivedUnauthenticated => ReceivedMailClasses.Unauthenticated,
        ReceivedSpam => ReceivedMailClasses.Spam,
        _ => null,
    };

    /// <summary>Every type above: an event of another type is refused, whatever else it holds.</summary>
    public static readonly FrozenSet<string> Taken =
        FrozenSet.ToFrozenSet([Received, ReceivedUnauthenticated, ReceivedSpam, Sent, Delivered, Bounced, Complained, Rejected], StringComparer.Ordinal);
}
