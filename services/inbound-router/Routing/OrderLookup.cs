using Dapper;
using Npgsql;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// The router's own memory of orders: Message-IDs of mail we sent, and order references. Each read answers for a whole
/// batch of emails in one statement.
/// </summary>
public sealed class OrderLookup(NpgsqlDataSource dataSource)
{
    /// <summary>The order of each of <paramref name="messageIds"/> that is the Message-ID of mail we sent.</summary>
    public async Task<IReadOnlyDictionary<string, Guid>> FindByMessageIdsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return new Dictionary<string, Guid>();
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(string Id, Guid OrderId)>(new CommandDefinition(
            "select internet_message_id, order_id from outbound_message_ids where internet_message_id = any(@Ids)",
            new { Ids = messageIds.ToArray() },
            cancellationToken: cancellationToken))).ToDictionary(r => r.Id, r => r.OrderId, StringComparer.Ordinal);
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
