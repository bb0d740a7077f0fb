using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// The span every placed order's trace starts under (<c>order place</c>, the parent of the outbox row's trace
/// context and so of everything the order causes) and <c>ordersmail.orders.accepted</c>, the orders the API took.
/// </summary>
public sealed class OrderPlacementTelemetry
{
    /// <summary>Orders accepted: created, not replays of an Idempotency-Key.</summary>
    public const string Accepted = "ordersmail.orders.accepted";

    private readonly ActivitySource _source;
    private readonly Counter<long> _accepted;

    /// <summary>Creates the instrument on the service's meter.</summary>
    public OrderPlacementTelemetry(ServiceTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _source = telemetry.ActivitySource;
        _accepted = telemetry.Meter.CreateCounter<long>(Accepted, "{order}", "Orders the API accepted (created; replays of an Idempotency-Key excepted).");
    }

    /// <summary>Starts the <c>order place</c> span; the order's outbox row is written under it.</summary>
    public Activity? StartPlacing() => _source.StartActivity("order place");

    /// <summary>Tags the span with the outcome and the order (none when a limit refused it), and counts it when it was created.</summary>
    public void Placed(Activity? placing, PlacementOutcome outcome, string? orderRef, Guid? orderId)
    {
        placing.SetOrder(orderRef, orderId)?.SetTag("ordersmail.placement.outcome", outcome.ToString().ToLowerInvariant());
        if (outcome == PlacementOutcome.Created)
        {
            _accepted.Add(1);
        }
    }
}
