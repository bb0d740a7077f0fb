using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.DeliveryTracker.Delivery;
using OrdersMail.DeliveryTracker.Outbox;
using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker;

/// <summary>
/// What delivery-tracker is made of: the mail outbox relay, the delivery state from providers' events, the outbox of
/// the events both publish, and the consumers' memory of applied messages.
/// </summary>
public static class DeliveryTrackerComposition
{
    /// <summary>Registers the features' services.</summary>
    public static WebApplicationBuilder AddDeliveryTracker(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOutbox(DeliveryTrackerOutbox.Messages);
        builder.Services.AddProcessedMessages();
        builder.Services.AddOutboxRelay();
        builder.Services.AddDelivery();
        return builder;
    }
}
