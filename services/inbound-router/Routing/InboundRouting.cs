using OrdersMail.InboundRouter.Secrets;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// Decides an inbound email's order: 1. a reply naming (In-Reply-To, then References) the Message-ID of mail we sent for an
/// order goes to that order; 2. otherwise the inbox's <c>metadata.order_ref</c>, read from AgentMail (authoritative: the
/// customer's newest order); 3. neither: parked, with the reason. No database connection is held while AgentMail answers.
/// </summary>
public sealed class InboundRouting(OrderLookup orders, IAgentMailDirectory agentMail)
{
    /// <summary>The decision for <paramref name="email"/>.</summary>
    public async Task<RoutingDecision> DecideAsync(InboundEmailReceived email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var named = new[] { email.InReplyTo }.Concat(email.References.Reverse()).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (await orders.FindByMessageIdsAsync(named, cancellationToken) is { } answered)
        {
            return RoutingDecision.To(answered, RoutingDecision.ByInReplyTo);
        }

        var inbox = await agentMail.GetOrderRefAsync(email.InboxId, cancellationToken);
        if (!inbox.InboxExists)
        {
            return RoutingDecision.Park($"AgentMail has no inbox {email.InboxId}");
        }

        if (inbox.OrderRef is not { Length: > 0 } orderRef)
        {
            return RoutingDecision.Park($"inbox {email.InboxId} has no metadata.order_ref");
        }

        return await orders.FindByRefAsync(orderRef, cancellationToken) is { } newest
            ? RoutingDecision.To(newest, RoutingDecision.ByInboxOrderRef)
            : RoutingDecision.Park($"order {orderRef} (the inbox's metadata.order_ref) is unknown to the router");
    }
}
