using MassTransit;
using Npgsql;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>An email about an order went to the outbox: the order lists it, with what it is and who it is for.</summary>
public sealed class OutboundEmailQueuedConsumer(NpgsqlDataSource dataSource, ILogger<OutboundEmailQueuedConsumer> logger)
    : IConsumer<OutboundEmailQueued>
{
    /// <summary>The consumer's queue.</summary>
    public const string Name = "orders-api-outbound-email-queued";

    /// <inheritdoc />
    public Task Consume(ConsumeContext<OutboundEmailQueued> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var queued = context.Message;
        return OrderEmailEvents.ApplyAsync(dataSource, logger, context, Name, new OrderEmailUpdate(queued.EmailId, queued.OrderId, DeliveryState.Queued, queued.QueuedAt)
        {
            Kind = queued.Kind,
            Subject = queued.Subject,
            Recipients = queued.To,
            Provider = queued.Provider,
            QueuedAt = queued.QueuedAt,
            SentAgainOf = queued.SentAgainOf,
        });
    }
}
