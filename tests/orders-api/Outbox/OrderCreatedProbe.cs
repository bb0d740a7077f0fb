using MassTransit;
using OrdersMail.Contracts.Orders;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.OrdersApi.Tests.Outbox;

/// <summary>A consumer of <see cref="OrderCreated"/> on the test's vhost, as inbox-provisioner would be, recording each delivery.</summary>
public sealed class OrderCreatedProbe(MessageDeliveries<OrderCreated> deliveries) : IConsumer<OrderCreated>
{
    public Task Consume(ConsumeContext<OrderCreated> context) => deliveries.Record(context);
}
