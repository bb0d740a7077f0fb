using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.DeliveryTracker;

/// <summary>delivery-tracker: the outbox relay that sends each outbound email, and the delivery webhooks that track it.</summary>
public static class DeliveryTrackerService
{
    /// <summary>The service's identity for the shared plumbing: name, port 5400, schema <c>delivery</c>.</summary>
    public static readonly ServiceInfo Info = new(
        Name: "delivery-tracker",
        ConfigurationSection: "DeliveryTracker",
        DefaultPort: 5400,
        Schema: "delivery",
        ComponentsAssembly: typeof(DeliveryTrackerService).Assembly);
}
