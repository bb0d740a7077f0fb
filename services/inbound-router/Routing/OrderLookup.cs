using Dapper;
using Npgsql;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>The router's own memory of orders: Message-IDs of mail we sent, and order references.</summary>
public sealed class OrderLookup(NpgsqlDataSource dataSource)
{
    /// <summary>The order of the newest-listed Message-ID among <paramref name="messageIds"/> that is one of ours, if any.</summary>
    public async Task<Guid?> FindByMessageIdsAsync(IReadOnlyList<string> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = (await connection.QueryAsync<(string Id, Guid OrderId)>(new CommandDefinition(
            "select internet_message_id, order_id from outbound_message_ids where internet_message_id = any(@Ids)",
            new { Ids = messageIds.ToArray() },
            cancellationToken: cancellationToken))).ToDictionary(r => r.Id, r => r.OrderId, StringComparer.Ordinal);

        // In-Reply-To comes first in the list: it names the very message answered.
        foreach (var id in messageIds)
        {
            if (found.TryGetValue(id, out var orderId))
            {
                return orderId;
            }
        }

        return null;
    }

    /// <summary>The reference and trace of order <paramref name="orderId"/>, if the router has heard of it.</summary>
    public async Task<KnownOrder?> FindOrderAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<KnownOrder>(new CommandDefinition(
            "select order_ref as OrderRef, trace_parent as TraceParent from order_refs where order_id = @OrderId",
            new { OrderId = orderId },
            cancellationToken: cancellationToken));
    }

    /// <summary>The order with reference <paramref name="orderRef"/>, if the router has heard of it.</summary>
    public async Task<Guid?> FindByRefAsync(string orderRef, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "select order_id from order_refs where order_ref = @OrderRef",
            new { OrderRef = orderRef },
            cancellationToken: cancellationToken));
    }
}
