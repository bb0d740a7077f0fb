using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// The <c>message route</c> span, linked to the trace of the order a message goes to (the customer's email starts a
/// trace of its own), and <c>ordersmail.inbound.messages</c>: messages routed, by how, and parked.
/// </summary>
public sealed class RoutingTelemetry
{
    /// <summary>Routing decisions, by outcome (routed, parked) and how the order was found.</summary>
    public const string Messages = "ordersmail.inbound.messages";

    private readonly ActivitySource _source;
    private readonly Counter<long> _messages;

    /// <summary>Creates the instrument on the service's meter.</summary>
    public RoutingTelemetry(ServiceTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _source = telemetry.ActivitySource;
        _messages = telemetry.Meter.CreateCounter<long>(Messages, "{message}", "Inbound messages routed to an order (by in-reply-to, inbox-order-ref or order-at-receipt) or parked.");
    }

    /// <summary>Starts the span of routing one message, under <paramref name="parent"/> (the delivery that brought it) when given.</summary>
    public Activity? StartRouting(string inboxId, string messageId, ActivityContext parent = default) =>
        _source.StartActivity("message route", ActivityKind.Internal, parent)?.SetTag("ordersmail.inbox.id", inboxId).SetTag("messaging.message.id", messageId);

    /// <summary>Tags the span with the order found and links it to the order's trace, when known.</summary>
    public static void RoutedTo(Activity? routing, Guid orderId, KnownOrder? order)
    {
        routing.SetOrder(order?.OrderRef, orderId);
        foreach (var link in TraceParents.LinkTo(order?.TraceParent))
        {
            routing?.AddLink(link);
        }
    }

    /// <summary>Counts a decision that was recorded.</summary>
    public void Decided(RoutingDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        _messages.Add(
            1,
            new KeyValuePair<string, object?>("outcome", decision.OrderId is null ? "parked" : "routed"),
            new KeyValuePair<string, object?>("routed_by", decision.RoutedBy ?? "none"));
    }
}
