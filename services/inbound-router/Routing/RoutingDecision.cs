namespace OrdersMail.InboundRouter.Routing;

/// <summary>Where an inbound email goes: an order (and how it was found), or nowhere, with the reason it is parked.</summary>
public sealed record RoutingDecision(Guid? OrderId, string? RoutedBy, string? ParkReason)
{
    /// <summary>The order as the router knows it (its reference travels with the routed message), when it does.</summary>
    public KnownOrder? Order { get; init; }

    /// <summary>
    /// Parked only for what the router has still to learn from the bus (the order the inbox names), which may be on its
    /// way: the pump tries again later, within its attempts, before it parks the email for a person.
    /// </summary>
    public bool MayLearn { get; init; }

    /// <summary>
    /// Not decided: AgentMail failed what this email's decision needs (its body, its inbox's order; see
    /// <see cref="AgentMailReads"/>). The pump gives it back to be tried again alone, and decides the rest of its batch.
    /// </summary>
    public Exception? Failure { get; init; }

    /// <summary>A reply to one of our outbound emails.</summary>
    public const string ByInReplyTo = "in-reply-to";

    /// <summary>The inbox's newest order (<c>metadata.order_ref</c>).</summary>
    public const string ByInboxOrderRef = "inbox-order-ref";

    /// <summary>
    /// The customer's newest order when the email was received: the inbox's <c>metadata.order_ref</c> names an order
    /// they placed after it (<see cref="StampedOrder"/>).
    /// </summary>
    public const string ByOrderAtReceipt = "order-at-receipt";

    /// <summary>
    /// The order ops named when they routed a parked email (<c>POST /routing/parked/{id}/route</c> with an
    /// <c>order_ref</c>), an order of the customer whose inbox received it: a person's word, not the routing rules'.
    /// </summary>
    public const string ByOps = "ops";

    /// <summary>Why mail AgentMail could not authenticate is parked, whoever asks to route it.</summary>
    public const string UnauthenticatedReason =
        "AgentMail could not authenticate the sender (SPF, DKIM or DMARC failed): the mail may be forged, so it is not routed to an order or answered; read it in AgentMail and answer the customer from there";

    /// <summary>
    /// Why mail AgentMail took for spam is parked. Its filter errs, and a customer's genuine reply must not go unseen; but
    /// spam routed to an order would be answered by the agent, so a person decides.
    /// </summary>
    public const string SpamReason =
        "AgentMail marked it spam, so it is not routed to an order or answered; if it is a customer's genuine mail, route it (POST /routing/parked/{id}/route; with {\"order_ref\": \"...\"} to the customer's order it is about, if not the one the rules pick), else dismiss it";

    /// <summary>Routed to <paramref name="orderId"/>.</summary>
    public static RoutingDecision To(Guid orderId, string routedBy) => new(orderId, routedBy, null);

    /// <summary>Parked for <paramref name="reason"/>.</summary>
    public static RoutingDecision Park(string reason) => new(null, null, reason);

    /// <summary>Not decided, because of <paramref name="failure"/>.</summary>
    public static RoutingDecision Failed(Exception failure) => new(null, null, null) { Failure = failure };
}
