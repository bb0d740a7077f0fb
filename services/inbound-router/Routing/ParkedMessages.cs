using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Contracts.Inbound;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>Parked messages for ops: the list, routing one again once its cause is fixed, and dismissing one.</summary>
public sealed class ParkedMessages(
    NpgsqlDataSource dataSource, InboundRouting routing, OrderLookup orders, MessageBodies bodies, OutboxWriter outbox, ParkedGauge gauge)
{
    /// <summary>
    /// Parked messages neither re-routed nor dismissed yet, oldest first (then by id), after the message
    /// <paramref name="after"/> when given (the last of the page before, re-routed or dismissed since or not); null when
    /// no message with that id is kept.
    /// </summary>
    public async Task<IReadOnlyList<ParkedMessageView>?> ListAsync(int limit, Guid? after, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // A row routed again or dismissed is kept for the retention period (swept only then), so the message a page
        // ended with still says where the next one starts.
        var afterAt = after is { } afterId
            ? await connection.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(
                "select parked_at from parked_messages where id = @Id", new { Id = afterId }, cancellationToken: cancellationToken))
            : null;
        if (after is not null && afterAt is null)
        {
            return null;
        }

        return (await connection.QueryAsync<ParkedMessageView>(new CommandDefinition(
            """
            select id as Id, inbox_id as InboxId, message_id as MessageId, email->>'from' as "From", email->>'subject' as Subject,
                   reason as Reason, parked_at as ParkedAt
            from parked_messages
            where routed_at is null and dismissed_at is null and (not @Paged or (parked_at, id) > (@AfterAt, @AfterId))
            order by parked_at, id limit @Limit
            """,
            new { Limit = limit, Paged = after is not null, AfterAt = afterAt ?? DateTime.UnixEpoch, AfterId = after ?? Guid.Empty },
            cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>
    /// Routes the parked message again; its order when found now, else why not. A message routed already answers the
    /// order it went to, as the route that sent it there did; one dismissed, that it was.
    /// </summary>
    public async Task<RerouteResult> RerouteAsync(Guid id, CancellationToken cancellationToken)
    {
        var parked = await FindAsync(id, cancellationToken);
        if (parked?.Email is not { } stored)
        {
            return Settled(parked);
        }

        // An email parked after routing kept failing may still lack the body its webhook left out.
        var email = await bodies.WithBodyAsync(InboundEmailReceived.FromJson(stored), cancellationToken);

        // A person asking to route mail AgentMail took for spam has judged it genuine; mail it could not authenticate
        // stays parked whoever asks, as its sender may be forged.
        var decision = await routing.DecideAsync(email with { Spam = false }, cancellationToken);
        if (decision.OrderId is not { } orderId)
        {
            await UpdateReasonAsync(id, decision.ParkReason!, cancellationToken);
            return new RerouteResult(RerouteOutcome.StillParked, null, decision.ParkReason);
        }

        return await RouteAsync(id, RoutedMessages.Routed(email, orderId, decision.RoutedBy!), cancellationToken)
            ?? Settled(await FindAsync(id, cancellationToken));
    }

    /// <summary>
    /// Routes the parked message to the order ops named by <paramref name="orderRef"/>, whatever the routing rules would
    /// pick, when it is an order of the customer whose inbox received it: the same rule as a reply naming the Message-ID
    /// of another customer's mail (<see cref="OrderLookup.FindByMessageIdsAsync"/>), so that no one's mail lands in a
    /// stranger's order, ops' slip included. Mail AgentMail could not authenticate stays parked, as without an order named.
    /// A message routed already answers as <see cref="RerouteAsync"/> does when that order is the one named, and names
    /// the order it went to otherwise.
    /// </summary>
    public async Task<NamedRoute> RouteToOrderAsync(Guid id, string orderRef, CancellationToken cancellationToken)
    {
        var parked = await FindAsync(id, cancellationToken);
        if (parked?.Email is not { } stored)
        {
            return SettledFor(parked, orderRef);
        }

        var email = InboundEmailReceived.FromJson(stored);

        if (email.Unauthenticated)
        {
            return new NamedRoute(new RerouteResult(RerouteOutcome.StillParked, null, RoutingDecision.UnauthenticatedReason), null);
        }

        var named = await orders.FindNamedAsync(orderRef, email.InboxId, cancellationToken);
        NamedOrderRefusal? refused = named switch
        {
            null => NamedOrderRefusal.UnknownOrder,
            { InboxCustomerKnown: false } => NamedOrderRefusal.InboxCustomerUnknown,
            { OfInboxCustomer: false } => NamedOrderRefusal.AnotherCustomersOrder,
            _ => null,
        };
        if (refused is not null)
        {
            return new NamedRoute(null, refused);
        }

        email = await bodies.WithBodyAsync(email, cancellationToken);
        var order = named!.Order;
        var routed = RoutedMessages.Routed(email, order.OrderId, RoutingDecision.ByOps) with { OrderRef = order.OrderRef };
        return await RouteAsync(id, routed, cancellationToken) is { } result
            ? new NamedRoute(result, null)
            : SettledFor(await FindAsync(id, cancellationToken), orderRef);
    }

    /// <summary>
    /// Dismisses the parked message once a person has looked at it (in AgentMail, which keeps it): it leaves the list
    /// and its email is cleared; its row is kept for the retention period, so that dismissing it again is answered the
    /// same and a page that ended with it still pages on.
    /// </summary>
    public async Task<DismissOutcome> DismissAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var dismissed = await connection.ExecuteAsync(new CommandDefinition(
            "update parked_messages set dismissed_at = now(), email = null where id = @Id and routed_at is null and dismissed_at is null",
            new { Id = id },
            cancellationToken: cancellationToken));
        if (dismissed == 1)
        {
            gauge.Changed();
            return DismissOutcome.Dismissed;
        }

        var routed = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
            "select routed_at is not null from parked_messages where id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return routed switch
        {
            true => DismissOutcome.Routed,
            false => DismissOutcome.Dismissed,
            null => DismissOutcome.NotFound,
        };
    }

    // What became of a message no longer waiting. A route asked again (an ops client that timed out after the commit, a
    // colleague routing the same message at once) hears where it went, as the request that sent it there did: the row
    // keeps routed_at and order_id for the retention period, as it keeps dismissed_at.
    private static RerouteResult Settled(ParkedRow? parked) => parked switch
    {
        null => RerouteResult.NotFound,
        { Dismissed: true } => RerouteResult.Dismissed,
        _ => new RerouteResult(RerouteOutcome.Routed, parked.OrderId, null),
    };

    // The same for a request naming an order: one naming another than the message went to is not done as asked (a message
    // goes to one order, published once), and is told which.
    private static NamedRoute SettledFor(ParkedRow? parked, string orderRef) =>
        parked is { Routed: true } && !string.Equals(parked.OrderRef, orderRef, StringComparison.Ordinal)
            ? new NamedRoute(null, null, new RoutedBefore(parked.OrderId, parked.OrderRef))
            : new NamedRoute(Settled(parked), null);

    // The row of a kept message: its email only while it waits, else whether it was routed (to which order) or dismissed.
    private async Task<ParkedRow?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ParkedRow>(new CommandDefinition(
            """
            select case when routed_at is null and dismissed_at is null then email::text end as Email,
                   routed_at is not null as Routed, order_id as OrderId,
                   (select o.order_ref from order_refs o where o.order_id = p.order_id limit 1) as OrderRef,
                   dismissed_at is not null as Dismissed
            from parked_messages p where id = @Id
            """,
            new { Id = id },
            cancellationToken: cancellationToken));
    }

    // Null when the message was no longer waiting: another request routed or dismissed it first.
    private async Task<RerouteResult?> RouteAsync(Guid id, InboundMessageRouted routed, CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // Only the first of two concurrent re-routes publishes, and none once the message was dismissed meanwhile.
            var claimed = await connection.ExecuteAsync(new CommandDefinition(
                "update parked_messages set routed_at = now(), order_id = @OrderId where id = @Id and routed_at is null and dismissed_at is null",
                new { Id = id, routed.OrderId },
                transaction,
                cancellationToken: cancellationToken));
            if (claimed == 0)
            {
                return null;
            }

            await outbox.AddAsync(transaction, routed, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        outbox.Notify();
        gauge.Changed();
        return new RerouteResult(RerouteOutcome.Routed, routed.OrderId, null);
    }

    private async Task UpdateReasonAsync(Guid id, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update parked_messages set reason = @Reason where id = @Id", new { Id = id, Reason = reason }, cancellationToken: cancellationToken));
    }

    private sealed record ParkedRow(string? Email, bool Routed, Guid? OrderId, string? OrderRef, bool Dismissed);
}

/// <summary>A parked message as ops see it.</summary>
public sealed record ParkedMessageView(Guid Id, string InboxId, string MessageId, string? From, string? Subject, string Reason, DateTime ParkedAt);

/// <summary>What a re-route did.</summary>
public enum RerouteOutcome
{
    /// <summary>Routed to an order and published.</summary>
    Routed,

    /// <summary>Still no order; the reason is updated.</summary>
    StillParked,

    /// <summary>Dismissed by ops before: nothing is left to route.</summary>
    Dismissed,

    /// <summary>No message with that id is kept: never parked, or swept by retention.</summary>
    NotFound,
}

/// <summary>The outcome of a re-route.</summary>
public sealed record RerouteResult(RerouteOutcome Outcome, Guid? OrderId, string? Reason)
{
    /// <summary>No such parked message.</summary>
    public static readonly RerouteResult NotFound = new(RerouteOutcome.NotFound, null, null);

    /// <summary>Dismissed before.</summary>
    public static readonly RerouteResult Dismissed = new(RerouteOutcome.Dismissed, null, null);
}
