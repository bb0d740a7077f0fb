using Dapper;
using Npgsql;
using OrdersMail.OrdersApi.Emails;
using OrdersMail.OrdersApi.Paging;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// Reads orders as their owner sees them. Every query is scoped to the caller's user id, so another user's
/// order is indistinguishable from one that does not exist.
/// </summary>
public sealed class OrderReader(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The most emails an order carries, its newest ones. Every message written to the order's inbox may get the agent's
    /// reply, each an email: an order spammed with thousands would carry them all in every answer, and a page of orders
    /// each of theirs. <see cref="OrderView.EmailCount"/> says how many there are; <c>ListOrderEmails</c> pages through all.
    /// </summary>
    public const int MaxEmails = 50;

    private const string OrderColumns = """
        id as Id, order_ref as OrderRef, status as Status, created_at as CreatedAt, customer_email as CustomerEmail,
        customer_name as CustomerName, currency as Currency, total as Total, reply_address as ReplyAddress,
        provisioning_state as ProvisioningState, provisioning_detail as ProvisioningDetail
        """;

    /// <summary>The order, if it exists and belongs to <paramref name="userId"/>.</summary>
    public async Task<OrderView?> FindAsync(string userId, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var order = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"select {OrderColumns} from orders where id = @Id and user_id = @UserId",
            new { Id = id, UserId = userId },
            cancellationToken: cancellationToken));
        return order is null ? null : (await ViewsAsync(connection, [order], cancellationToken))[0];
    }

    /// <summary>Up to <paramref name="limit"/> of the caller's orders after <paramref name="after"/>, newest first.</summary>
    public async Task<KeysetPage<OrderView>> ListAsync(string userId, PagePosition? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // One row more than asked tells whether another page follows.
        var keyset = after is null ? "" : "and (created_at, id) < (@AfterCreatedAt, @AfterId)";
        var rows = (await connection.QueryAsync<OrderRow>(new CommandDefinition(
            $"""
            select {OrderColumns} from orders
            where user_id = @UserId {keyset}
            order by created_at desc, id desc
            limit @Take
            """,
            new { UserId = userId, AfterCreatedAt = after?.At, AfterId = after?.Id, Take = limit + 1 },
            cancellationToken: cancellationToken))).ToList();

        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? new PagePosition(page[^1].CreatedAt, page[^1].Id) : null;
        return new KeysetPage<OrderView>(await ViewsAsync(connection, page, cancellationToken), next);
    }

    /// <summary>Completes the orders with their lines, newest emails and counts, in one round trip.</summary>
    private static async Task<IReadOnlyList<OrderView>> ViewsAsync(NpgsqlConnection connection, IReadOnlyList<OrderRow> orders, CancellationToken cancellationToken)
    {
        if (orders.Count == 0)
        {
            return [];
        }

        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            select order_id as OrderId, sku as Sku, name as Name, quantity as Quantity, unit_price as UnitPrice
            from order_items where order_id = any(@Ids) order by order_id, line;

            select {OrderEmailRow.Columns}
            from unnest(@Ids) as o(id)
            cross join lateral (
                select * from order_emails e where e.order_id = o.id order by e.recorded_at desc, e.email_id desc limit @MaxEmails) e
            order by e.order_id, e.recorded_at, e.email_id;

            select order_id as OrderId, count(*) as Emails from order_emails where order_id = any(@Ids) group by order_id;

            select order_id as OrderId, count(*) as Messages, count(*) filter (where not is_read and not archived) as Unread
            from order_messages where order_id = any(@Ids) group by order_id;
            """,
            new { Ids = orders.Select(o => o.Id).ToArray(), MaxEmails },
            cancellationToken: cancellationToken));

        var items = (await results.ReadAsync<ItemRow>()).ToLookup(i => i.OrderId);
        var emails = (await results.ReadAsync<OrderEmailRow>()).ToLookup(e => e.OrderId);
        var emailCounts = (await results.ReadAsync<EmailCountRow>()).ToDictionary(c => c.OrderId, c => (int)c.Emails);
        var counts = (await results.ReadAsync<CountRow>()).ToDictionary(c => c.OrderId);

        return [.. orders.Select(o => new OrderView(
            o.Id,
            o.OrderRef,
            o.Status,
            Utc(o.CreatedAt),
            o.CustomerEmail,
            o.CustomerName,
            o.Currency,
            [.. items[o.Id].Select(i => Item(i, o.Currency))],
            Normalized(o.Total),
            MoneyText.Of(Normalized(o.Total), o.Currency),
            o.ReplyAddress,
            new ProvisioningView(o.ProvisioningState, o.ProvisioningState == "failed" ? ProvisioningFailureText.Of(o.ProvisioningDetail) : null),
            [.. emails[o.Id].Select(e => e.ToView())],
            emailCounts.GetValueOrDefault(o.Id),
            counts.TryGetValue(o.Id, out var c) ? (int)c.Messages : 0,
            counts.TryGetValue(o.Id, out c) ? (int)c.Unread : 0))];
    }

    private static OrderItemView Item(ItemRow item, string currency)
    {
        var unitPrice = Normalized(item.UnitPrice);
        var amount = Normalized(item.Quantity * item.UnitPrice);
        return new OrderItemView(item.Sku, item.Name, item.Quantity, unitPrice, amount, MoneyText.Of(unitPrice, currency), MoneyText.Of(amount, currency));
    }

    private static DateTimeOffset Utc(DateTime timestamp) => new(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc), TimeSpan.Zero);

    // numeric(19,4) reads back as 12.5000; the view shows 12.5.
    private static decimal Normalized(decimal amount) => amount / 1.0000000000000000000000000000m;

    // ProvisioningDetail holds a failed provisioning's kind, or an older build's reason: worded for the customer, never shown.
    private sealed record OrderRow(
        Guid Id, string OrderRef, string Status, DateTime CreatedAt, string CustomerEmail, string? CustomerName, string Currency,
        decimal Total, string? ReplyAddress, string ProvisioningState, string? ProvisioningDetail);

    private sealed record ItemRow(Guid OrderId, string Sku, string Name, int Quantity, decimal UnitPrice);

    private sealed record EmailCountRow(Guid OrderId, long Emails);

    private sealed record CountRow(Guid OrderId, long Messages, long Unread);
}
