using Dapper;
using Npgsql;
using OrdersMail.OrdersApi.Paging;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>
/// Pages through an order's outbound emails for its owner, oldest first, by the order no later event changes
/// (<see cref="OrderEmailRow"/>): the order itself carries only the newest.
/// </summary>
public sealed class OrderEmailReader(NpgsqlDataSource dataSource)
{
    /// <summary>Up to <paramref name="limit"/> of the order's emails after <paramref name="after"/>; null when the order is not <paramref name="userId"/>'s.</summary>
    public async Task<KeysetPage<OrderEmailView>?> ListAsync(string userId, Guid orderId, PagePosition? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var owned = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from orders where id = @OrderId and user_id = @UserId)",
            new { OrderId = orderId, UserId = userId },
            cancellationToken: cancellationToken));
        if (!owned)
        {
            return null;
        }

        // One row more than asked tells whether another page follows.
        var keyset = after is null ? "" : "and (e.recorded_at, e.email_id) > (@AfterRecordedAt, @AfterId)";
        var rows = (await connection.QueryAsync<OrderEmailRow>(new CommandDefinition(
            $"""
            select {OrderEmailRow.Columns} from order_emails e
            where e.order_id = @OrderId {keyset}
            order by e.recorded_at, e.email_id
            limit @Take
            """,
            new { OrderId = orderId, AfterRecordedAt = after?.At, AfterId = after?.Id, Take = limit + 1 },
            cancellationToken: cancellationToken))).ToList();

        var page = rows.Take(limit).ToList();
        return new KeysetPage<OrderEmailView>(page.ConvertAll(r => r.ToView()), rows.Count > limit ? page[^1].Position : null);
    }
}
