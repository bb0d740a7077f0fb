using MassTransit;
using Npgsql;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>The provider accepted an order's email.</summary>
public sealed class OutboundEmailSentConsumer(NpgsqlDataSource dataSource, ILogger<OutboundEmailSentConsumer> logger)
    : IConsumer<OutboundEmailSent>
{
    /// <summary>The consumer's queue, and its name in <c>processed_messages</c>.</summary>
    public const string Name = "orders-api-outbound-email-sent";

    /// <inheritdoc />
    public Task Consume(ConsumeContext<OutboundEmailSent> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sent = context.Message;
        return OrderEmailEvents.ApplyAsync(dataSource, logger, context, Name, new OrderEmailUpdate(sent.EmailId, sent.OrderId, DeliveryState.Sent, sent.SentAt)
        {
            Provider = sent.Provider,
        });
    }
}
