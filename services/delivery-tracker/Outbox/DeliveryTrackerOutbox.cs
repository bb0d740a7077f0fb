using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Outbox;

/// <summary>delivery-tracker's outbox (the building blocks' <c>AddOutbox</c>, in schema <c>delivery</c>).</summary>
public static class DeliveryTrackerOutbox
{
    /// <summary>The events delivery-tracker publishes through its outbox: the relay's, the delivery state's and the Message-IDs a provider gave.</summary>
    public static readonly OutboxMessageTypes Messages = new(
        typeof(OutboundEmailQueued),
        typeof(OutboundEmailSent),
        typeof(OutboundEmailFailed),
        typeof(DeliveryStateChanged),
        typeof(OutboundMessageIdAssigned));
}
