using System.Diagnostics.Metrics;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.InboundRouter.Ingress;

/// <summary>What the ingress answered, counted by outcome and reason (<c>ordersmail.inbound.webhooks</c>).</summary>
public sealed class IngressMetrics(ServiceTelemetry telemetry)
{
    private readonly Counter<long> _webhooks = telemetry.Meter.CreateCounter<long>(
        "ordersmail.inbound.webhooks", description: "AgentMail webhook deliveries, by outcome (recorded, set_aside, duplicate, refused, invalid, rejected, unavailable) and reason");

    /// <summary>Counts one delivery.</summary>
    public void Record(string outcome, string reason) =>
        _webhooks.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("reason", reason));
}
