using Dapper;
using Npgsql;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>Reads an order's <see cref="OrderFacts"/> inside the agent's deciding transaction, in one round trip.</summary>
internal static class OrderFactsQuery
{
    /// <summary>The facts of <paramref name="orderId"/>, which exists.</summary>
    public static async Task<OrderFacts> ReadAsync(NpgsqlTransaction transaction, Guid orderId, CancellationToken cancellationToken)
    {
        // The confirmation's kind is written as order_confirmation in outbox files and as order-confirmation in some events.
        // The newest confirmation speaks for the order: one that failed and was sent again (delivery-tracker's
        // send-again) is shown as the copy's state, not as the failure. With none, a claim the confirmation sweeper gave
        // up unwritten means no email will come (no file, so no row): it reads as given up, not as on its way.
        await using var results = await transaction.Connection!.QueryMultipleAsync(new CommandDefinition(
            """
            select order_ref as OrderRef, status as Status, customer_name as CustomerName, currency as Currency, total as Total,
                   reply_address as ReplyAddress
            from orders where id = @OrderId;

            select name as Name, quantity as Quantity, unit_price as UnitPrice from order_items where order_id = @OrderId order by line;

            select coalesce(
                (select state from order_emails
                 where order_id = @OrderId and kind in ('order_confirmation', 'order-confirmation')
                 order by queued_at desc nulls last, state_rank desc, updated_at desc limit 1),
                (select @GivenUp from order_confirmations where order_id = @OrderId and written_at is null and given_up_at is not null));
            """,
            new { OrderId = orderId, ConfirmationWording.GivenUp },
            transaction,
            cancellationToken: cancellationToken));
        var order = await results.ReadSingleAsync<OrderRow>();
        var items = (await results.ReadAsync<OrderFactsItem>()).Select(i => i with { UnitPrice = Normalized(i.UnitPrice) }).ToList();
        var confirmation = await results.ReadSingleOrDefaultAsync<string>();
        return new OrderFacts(
            order.OrderRef, order.Status, order.CustomerName, order.Currency.Trim(), Normalized(order.Total), items, order.ReplyAddress, confirmation);
    }

    // numeric(19,4) reads back as 19.0000; a customer reads 19.
    private static decimal Normalized(decimal amount) => amount / 1.0000000000000000000000000000m;

    private sealed record OrderRow(string OrderRef, string Status, string? CustomerName, string Currency, decimal Total, string? ReplyAddress);
}
