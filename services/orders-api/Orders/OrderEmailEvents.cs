using MassTransit;
using Npgsql;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>What the four email consumers share: one transaction holding the dedupe record and the upsert.</summary>
internal static class OrderEmailEvents
{
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, ILogger logger, ConsumeContext context, string consumer, OrderEmailUpdate update)
    {
        var cancellationToken = context.CancellationToken;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await ProcessedMessages.TryRecordAsync(transaction, consumer, context.MessageId, cancellationToken))
        {
            OrderEventsLog.AlreadyApplied(logger, consumer, context.MessageId);
            return;
        }

        if (!await OrderEmails.ApplyAsync(transaction, update, cancellationToken))
        {
            OrderEventsLog.UnknownOrder(logger, consumer, context.MessageId, update.OrderId);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
