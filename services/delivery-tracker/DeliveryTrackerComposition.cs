using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Contracts.Outbound;
using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker;

/// <summary>What delivery-tracker is made of: the mail outbox relay and the outbox of the events it publishes.</summary>
public static class DeliveryTrackerComposition
{
    /// <summary>The events delivery-tracker publishes through its outbox.</summary>
    public static readonly OutboxMessageTypes OutboxMessages = new(typeof(OutboundEmailQueued), typeof(OutboundEmailSent), typeof(OutboundEmailFailed));

    /// <summary>Registers the features' services.</summary>
    public static WebApplicationBuilder AddDeliveryTracker(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOutbox(OutboxMessages);
        builder.Services.AddOutboxRelay();
        return builder;
    }
}
