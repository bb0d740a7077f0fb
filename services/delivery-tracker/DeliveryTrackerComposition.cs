using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.DeliveryTracker.Delivery;
using OrdersMail.DeliveryTracker.FailedMail;
using OrdersMail.DeliveryTracker.Outbox;
using OrdersMail.DeliveryTracker.OutboxRetention;
using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker;

/// <summary>
/// What delivery-tracker is made of: the mail outbox relay, the delivery state from providers' events, sending failed
/// mail again, the retention of the mail outbox's files, the outbox of the events they publish, and the consumers'
/// memory of applied messages.
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
        builder.Services.AddOutboxRetention();
        builder.Services.AddDelivery();
        builder.Services.AddFailedMail();
        return builder;
    }
}
