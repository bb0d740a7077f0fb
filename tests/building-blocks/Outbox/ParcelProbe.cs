using MassTransit;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>A consumer of <see cref="Parcel"/> on the test's vhost, as another service would be, recording each delivery.</summary>
public sealed class ParcelProbe(MessageDeliveries<Parcel> deliveries) : IConsumer<Parcel>
{
    public Task Consume(ConsumeContext<Parcel> context) => deliveries.Record(context);
}
