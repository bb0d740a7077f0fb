using Dapper;
using Npgsql;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// The router's own memory of orders: Message-IDs of mail we sent, and order references. Each read answers for a whole
/// batch of emails in one statement.
/// </summary>
public sealed class OrderLookup(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The order of each (Message-ID, inbox) of <paramref name="named"/> whose Message-ID is of mail we sent for an order
    /// of the inbox's own customer; a Message-ID of another customer's mail, or named in an inbox whose customer the
    /// router has not learnt, finds nothing.
    /// </summary>
    public async Task<IReadOnlyDictionary<(string MessageId, string InboxId), Guid>> FindByMessageIdsAsync(
        IReadOnlyCollection<(string MessageId, string InboxId)> named, CancellationToken cancellationToken)
    {
        if (named.Count == 0)
        {
            return new Dictionary<(string, string), Guid>();
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await connection.QueryAsync<(string MessageId, string InboxId, Guid OrderId)>(new CommandDefinition(
            """
            select n.message_id, n.inbox_id, m.order_id
            from unnest(@MessageIds, @InboxIds) as n (message_id, inbox_id)
            join outbound_message_ids m on m.internet_message_id = n.message_id
            join order_refs o on o.order_id = m.order_id
            join inbox_owners w on w.inbox_id = n.inbox_id and w.user_id = o.user_id
            """,
            new { MessageIds = named.Select(n => n.MessageId).ToArray(), InboxIds = named.Select(n => n.InboxId).ToArray() },
            cancellationToken: cancellationToken));
        return found.ToDictionary(r => (r.MessageId, r.InboxId), r => r.OrderId);
    }

    /// <summary>
    /// The orders the router has heard of with id in <paramref name="orderIds"/>, and for each of <paramref name="stamps"/>
    /// (an inbox's order reference and the time by which an email's order was placed) the order it names, and the
    /// customer's newest order placed by then when that one was placed later; a reference the router has not heard of
    /// has no entry. One round trip; the customer's earlier orders are looked up only for a stamp placed later.
    /// </summary>
    public async Task<KnownOrders> FindOrdersAsync(
        IReadOnlyList<(string OrderRef, DateTimeOffset PlacedBy)> stamps, IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken)
    {
        if (stamps.Count == 0 && orderIds.Count == 0)
        {
            return new KnownOrders(new Dictionary<Guid, KnownOrder>(), new Dictionary<(string, DateTimeOffset), StampedOrder>());
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var reads = await connection.QueryMultipleAsync(new CommandDefinition(
            """
            select order_id as OrderId, order_ref as OrderRef, trace_parent as TraceParent from order_refs where order_id = any(@Ids);
            select q.i as I, s.order_id as OrderId, s.order_ref as OrderRef, s.trace_parent as TraceParent,
                   coalesce(s.placed_at > q.placed_by, false) as PlacedAfter,
                   e.order_id as EarlierId, e.order_ref as EarlierRef, e.trace_parent as EarlierTraceParent
            from unnest(@Refs, @PlacedBy) with ordinality as q (order_ref, placed_by, i)
            join order_refs s on s.order_ref = q.order_ref
            left join lateral (
                select o.order_id, o.order_ref, o.trace_parent from order_refs o
                where s.placed_at > q.placed_by and o.user_id = s.user_id and o.placed_at <= q.placed_by
                order by o.placed_at desc, o.order_ref desc limit 1
            ) e on true
            """,
            new { Ids = orderIds.ToArray(), Refs = stamps.Select(s => s.OrderRef).ToArray(), PlacedBy = stamps.Select(s => s.PlacedBy.UtcDateTime).ToArray() },
            cancellationToken: cancellationToken));
        var byId = (await reads.ReadAsync<KnownOrder>()).DistinctBy(o => o.OrderId).ToDictionary(o => o.OrderId);
        var byStamp = (await reads.ReadAsync<StampRow>()).ToDictionary(
            r => stamps[(int)r.I - 1],
            r => new StampedOrder(
                new KnownOrder(r.OrderId, r.OrderRef, r.TraceParent),
                r.PlacedAfter,
                r is { EarlierId: { } id, EarlierRef: { } orderRef } ? new KnownOrder(id, orderRef, r.EarlierTraceParent) : null));
        return new KnownOrders(byId, byStamp);
    }

    /// <summary>
    /// The order <paramref name="orderRef"/> names, and whether it is of the customer whose inbox <paramref name="inboxId"/>
    /// is (<c>inbox_owners</c>, as <see cref="FindByMessageIdsAsync"/> tells); null when the router has not heard of it.
    /// </summary>
    public async Task<NamedOrder?> FindNamedAsync(string orderRef, string inboxId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<NamedRow>(new CommandDefinition(
            """
            select o.order_id as OrderId, o.order_ref as OrderRef, o.trace_parent as TraceParent,
                   w.user_id is not null as InboxCustomerKnown, coalesce(w.user_id = o.user_id, false) as OfInboxCustomer
            from order_refs o
            left join inbox_owners w on w.inbox_id = @InboxId
            where o.order_ref = @OrderRef
            """,
            new { OrderRef = orderRef, InboxId = inboxId },
            cancellationToken: cancellationToken));
        return row is null ? null : new NamedOrder(new KnownOrder(row.OrderId, row.OrderRef, row.TraceParent), row.InboxCustomerKnown, row.OfInboxCustomer);
    }

    private sealed record StampRow(long I, Guid OrderId, string OrderRef, string? TraceParent, bool PlacedAfter, Guid? EarlierId, string? EarlierRef, string? EarlierTraceParent);

    private sealed record NamedRow(Guid OrderId, string OrderRef, string? TraceParent, bool InboxCustomerKnown, bool OfInboxCustomer);
}
