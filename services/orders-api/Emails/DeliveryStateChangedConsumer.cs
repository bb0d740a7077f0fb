using MassTransit;
using Npgsql;
using OrdersMail.Contracts.Outbound;
using OrdersMail.OrdersApi.Handoffs;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>
/// A provider webhook moved an order's email forward (delivered, bounced...); an agent reply that bounced or drew a
/// complaint hands the message it answered to a person (<see cref="UndeliverableReplies"/>).
/// </summary>
public sealed class DeliveryStateChangedConsumer(NpgsqlDataSource dataSource, UndeliverableReplies undeliverable, ILogger<DeliveryStateChangedConsumer> logger)
    : IConsumer<DeliveryStateChanged>
{
    /// <summary>The consumer's queue.</summary>
    public const string Name = "orders-api-delivery-state-changed";

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<DeliveryStateChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var changed = context.Message;
        await OrderEmailEvents.ApplyAsync(dataSource, logger, context, Name, new OrderEmailUpdate(changed.EmailId, changed.OrderId, changed.State, changed.OccurredAt)
        {
            Provider = changed.Provider,
            Detail = changed.Detail,
        });
        await undeliverable.HandOffAsync(changed.EmailId, changed.State, context.CancellationToken);
    }
}
