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

    /// <summary>The orders the router has heard of among those with reference in <paramref name="orderRefs"/> or id in <paramref name="orderIds"/>.</summary>
    public async Task<IReadOnlyList<KnownOrder>> FindOrdersAsync(IReadOnlyCollection<string> orderRefs, IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken)
    {
        if (orderRefs.Count == 0 && orderIds.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<KnownOrder>(new CommandDefinition(
            """
            select order_id as OrderId, order_ref as OrderRef, trace_parent as TraceParent
            from order_refs where order_ref = any(@Refs) or order_id = any(@Ids)
            """,
            new { Refs = orderRefs.ToArray(), Ids = orderIds.ToArray() },
            cancellationToken: cancellationToken))];
    }
}
