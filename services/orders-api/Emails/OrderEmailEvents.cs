using System.Diagnostics;
using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Telemetry;
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
        if (await OrderEmails.ApplyAsync(connection, update, context.CancellationToken) is not { } orderRef)
        {
            OrderEventsLog.UnknownOrder(logger, consumer, context.MessageId, update.OrderId);
            return;
        }

        // A provider's webhook starts a trace of its own (neither Resend nor AgentMail sends a traceparent): tagged
        // here, where the order is known, ops find a bounce or a delivery by the order's reference.
        Activity.Current.SetOrder(orderRef, update.OrderId);
    }
}
