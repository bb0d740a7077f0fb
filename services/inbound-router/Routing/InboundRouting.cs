using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;
using OrdersMail.InboundRouter.Secrets;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// Decides inbound emails' orders. Mail whose sender AgentMail could not authenticate is parked, whatever it names (it may
/// be forged: a reply to us from a spoofed address would otherwise get the order's details), and so is mail AgentMail took
/// for spam (a person tells a customer's genuine mail from spam, which the agent would otherwise answer). The rest: 1. a reply naming (In-Reply-To, then References) the Message-ID of mail we sent for an
/// order goes to that order, when it reached that order's customer's inbox (<see cref="OrderLookup.FindByMessageIdsAsync"/>); 2. otherwise the inbox's <c>metadata.order_ref</c>, read from AgentMail (authoritative: the
/// customer's newest order; <see cref="InboxOrderRefs"/>), unless that order was placed after the email was received
/// (mail routed late: recovered after its inbox's webhook was mended, or a parked email re-routed), when it goes to the
/// customer's newest order placed by then (<see cref="StampedOrder"/>; <see cref="RoutingOptions.OrderClockSkew"/>
/// allows for AgentMail's clock and orders-api's to disagree), or is parked if the router knows no such order;
/// 3. neither: parked, with the reason. A batch costs one read
/// per table and one AgentMail read per inbox at most, whatever its size; an inbox AgentMail fails to answer fails its own
/// emails' decisions alone. No database connection is held while AgentMail answers.
/// </summary>
public sealed class InboundRouting(OrderLookup orders, InboxOrderRefs inboxes, IOptions<RoutingOptions> options)
{
    private const int AgentMailReadsAtOnce = 8;
    private readonly TimeSpan _clockSkew = options.Value.OrderClockSkew;

    /// <summary>The decision for <paramref name="email"/>; what AgentMail failed to answer for it is thrown.</summary>
    public async Task<RoutingDecision> DecideAsync(InboundEmailReceived email, CancellationToken cancellationToken)
    {
        var decision = (await DecideAsync([email], new AgentMailReads(), cancellationToken))[0];
        if (decision.Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return decision;
    }

    /// <summary>
    /// The decision for each of <paramref name="emails"/>, in their order: <see cref="RoutingDecision.Failed"/> for an
    /// email whose inbox's order <paramref name="reads"/> could not have from AgentMail, the others decided all the same.
    /// </summary>
    public async Task<IReadOnlyList<RoutingDecision>> DecideAsync(IReadOnlyList<InboundEmailReceived> emails, AgentMailReads reads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(emails);
        ArgumentNullException.ThrowIfNull(reads);

        // In-Reply-To comes first in each list: it names the very message answered.
        var named = emails.Select(e => new[] { e.InReplyTo }.Concat(e.References.Reverse()).OfType<string>().Distinct(StringComparer.Ordinal).Select(id => (id, e.InboxId)).ToList()).ToList();
        var sent = await orders.FindByMessageIdsAsync(named.SelectMany(n => n).ToHashSet(), cancellationToken);
        var answered = named.Select(n => n.Select(key => sent.TryGetValue(key, out var orderId) ? orderId : (Guid?)null).FirstOrDefault(o => o is not null)).ToList();

        // A batch of many customers' mail waits for a few AgentMail reads at a time, not for each in turn.
        var inboxRefs = new ConcurrentDictionary<string, (InboxOrderRef? Value, Exception? Failure)>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            emails.Where((e, i) => answered[i] is null && !e.Unauthenticated && !e.Spam).Select(e => e.InboxId).Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = AgentMailReadsAtOnce, CancellationToken = cancellationToken },
            async (inboxId, token) => inboxRefs[inboxId] = await reads.TryAsync(() => inboxes.GetAsync(inboxId, token)));

        // Each email's stamp with the time its order was placed by: mail received before the stamp's order was placed
        // (routed late: recovered, or re-routed by ops) goes to the customer's order of then.
        var stamps = emails.Select((e, i) => answered[i] is null && inboxRefs.TryGetValue(e.InboxId, out var r) && r.Value?.OrderRef is { Length: > 0 } orderRef
            ? (orderRef, PlacedBy(e.ReceivedAt))
            : ((string OrderRef, DateTimeOffset PlacedBy)?)null).ToList();
        var known = await orders.FindOrdersAsync([.. stamps.OfType<(string, DateTimeOffset)>().Distinct()], [.. answered.OfType<Guid>().Distinct()], cancellationToken);
        return [.. emails.Select((email, i) =>
            email.Unauthenticated ? RoutingDecision.Park(RoutingDecision.UnauthenticatedReason)
            : email.Spam ? RoutingDecision.Park(RoutingDecision.SpamReason)
            : answered[i] is { } orderId ? RoutingDecision.To(orderId, RoutingDecision.ByInReplyTo) with { Order = known.ById.GetValueOrDefault(orderId) }
            : inboxRefs[email.InboxId] is ({ } inbox, _) ? ByInbox(email, inbox, stamps[i] is { } stamp ? known.ByStamp.GetValueOrDefault(stamp) : null)
            : RoutingDecision.Failed(inboxRefs[email.InboxId].Failure!))];
    }

    // The time by which an email's order was placed: its receipt and the clock-skew allowance, at most the end of time.
    // A receipt stored before the ingress bounded it (ReceivedTime) can be 9999-12-31T23:45Z, and the sum overflowing
    // threw out of the whole batch's decisions, every email of it failed (parked after its attempts), not that one alone.
    private DateTimeOffset PlacedBy(DateTimeOffset receivedAt) =>
        receivedAt > DateTimeOffset.MaxValue - _clockSkew ? DateTimeOffset.MaxValue : receivedAt + _clockSkew;

    private static RoutingDecision ByInbox(InboundEmailReceived email, InboxOrderRef inbox, StampedOrder? stamped)
    {
        if (!inbox.InboxExists)
        {
            return RoutingDecision.Park($"AgentMail has no inbox {email.InboxId}");
        }

        if (inbox.OrderRef is not { Length: > 0 } orderRef)
        {
            return RoutingDecision.Park($"inbox {email.InboxId} has no metadata.order_ref");
        }

        return stamped switch
        {
            null => RoutingDecision.Park($"order {orderRef} (the inbox's metadata.order_ref) is unknown to the router") with { MayLearn = true },
            { PlacedAfter: false, Stamp: var newest } => RoutingDecision.To(newest.OrderId, RoutingDecision.ByInboxOrderRef) with { Order = newest },
            { PlacedBefore: { } then } => RoutingDecision.To(then.OrderId, RoutingDecision.ByOrderAtReceipt) with { Order = then },
            _ => RoutingDecision.Park(
                $"the inbox's metadata.order_ref names order {orderRef}, placed after this email was received ({email.ReceivedAt:O}), and the router knows no "
                + "earlier order of the customer's placed by then (orders it learnt before it kept their placing time have none): route it to the customer's order it is "
                + "about (POST /routing/parked/{id}/route with {\"order_ref\": \"...\"}), or answer the customer from AgentMail and dismiss it"),
        };
    }
}
