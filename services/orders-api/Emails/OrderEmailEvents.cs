using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>What the four email consumers share: one transaction holding the dedupe record and the upsert.</summary>
internal static class OrderEmailEvents
{
    public static Task ApplyAsync(NpgsqlDataSource dataSource, ILogger logger, ConsumeContext context, string consumer, OrderEmailUpdate update) =>
        ProcessedMessages.ApplyOnceAsync(dataSource, context, consumer, logger, async (transaction, cancellationToken) =>
        {
            if (!await OrderEmails.ApplyAsync(transaction, update, cancellationToken))
            {
                OrderEventsLog.UnknownOrder(logger, consumer, context.MessageId, update.OrderId);
            }
        });
}
