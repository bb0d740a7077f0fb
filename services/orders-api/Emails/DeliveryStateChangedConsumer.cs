using MassTransit;
using Npgsql;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>A provider webhook moved an order's email forward (delivered, bounced...).</summary>
public sealed class DeliveryStateChangedConsumer(NpgsqlDataSource dataSource, ILogger<DeliveryStateChangedConsumer> logger)
    : IConsumer<DeliveryStateChanged>
{
    /// <summary>The consumer's queue.</summary>
    public const string Name = "orders-api-delivery-state-changed";

    /// <inheritdoc />
    public Task Consume(ConsumeContext<DeliveryStateChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var changed = context.Message;
        return OrderEmailEvents.ApplyAsync(dataSource, logger, context, Name, new OrderEmailUpdate(changed.EmailId, changed.OrderId, changed.State, changed.OccurredAt)
        {
            Provider = changed.Provider,
            Detail = changed.Detail,
        });
    }
}
