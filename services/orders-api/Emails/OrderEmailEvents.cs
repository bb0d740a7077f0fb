using MassTransit;
using Npgsql;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>
/// What the email consumers share: the upsert (<see cref="OrderEmails"/>), which converges whatever the order and
/// the copies of the events, so a redelivery needs no <c>processed_messages</c> record and no transaction.
/// </summary>
internal static class OrderEmailEvents
{
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, ILogger logger, ConsumeContext context, string consumer, OrderEmailUpdate update)
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        if (!await OrderEmails.ApplyAsync(connection, update, context.CancellationToken))
        {
            OrderEventsLog.UnknownOrder(logger, consumer, context.MessageId, update.OrderId);
        }
    }
}
