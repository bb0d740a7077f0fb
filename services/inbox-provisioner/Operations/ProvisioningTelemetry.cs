using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.InboxProvisioner.Operations;

/// <summary>The service's own spans of the saga's steps, and its metrics: sagas per state (refreshed by the sweeper), webhook security events and read-backs, steps deferred.</summary>
public sealed class ProvisioningTelemetry
{
    private readonly ActivitySource _source;
    private readonly Counter<long> _securityEvents;
    private readonly Counter<long> _reconciles;
    private readonly Counter<long> _deferrals;
    private readonly Counter<long> _watchRepairs;
    private IReadOnlyDictionary<string, long> _sagasByState = new Dictionary<string, long>();

    /// <summary>Creates the instruments on the service's meter.</summary>
    public ProvisioningTelemetry(ServiceTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _source = telemetry.ActivitySource;
        _securityEvents = telemetry.Meter.CreateCounter<long>(
            "ordersmail.provisioning.webhook.security_events",
            description: "Webhooks found stored org-wide (every tenant's mail to one endpoint) and deleted.");
        _reconciles = telemetry.Meter.CreateCounter<long>(
            "ordersmail.provisioning.webhook.reconciles",
            description: "Webhook read-backs, by outcome (verified, repaired, failed).");
        _deferrals = telemetry.Meter.CreateCounter<long>(
            "ordersmail.provisioning.step.deferrals",
            description: "Steps deferred because AgentMail stayed unavailable through the client's retries, by step.");
        _watchRepairs = telemetry.Meter.CreateCounter<long>(
            "ordersmail.provisioning.webhook.watch_repairs",
            description: "Webhooks the watch found differing between orders, by outcome (repaired, failed, inbox_gone).");
        telemetry.Meter.CreateObservableGauge(
            "ordersmail.provisioning.sagas",
            () => _sagasByState.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("state", s.Key))),
            description: "Provisioning sagas per state, in progress or failed (Ready sagas are not counted).");
    }

    /// <summary>Starts the span of one step's work for an order (<c>inbox create</c>, <c>webhook subscribe</c>, <c>webhook reconcile</c>).</summary>
    public Activity? StartStep(string name, Guid orderId, string? orderRef) => _source.StartActivity(name).SetOrder(orderRef, orderId);

    /// <summary>
    /// Starts the span a poll publishes an order's message under (<c>step retry</c>, <c>saga resume</c>), in the order's
    /// trace as the saga stored it, so what the message causes continues that trace and a parent-based sampler keeps it
    /// whole. None for a saga stored without one (an older build's): its message is published as before, in a trace of its own.
    /// </summary>
    public Activity? StartPublishInOrderTrace(string name, Guid orderId, string? orderRef, string? traceParent) =>
        TraceParents.Parse(traceParent) is var order && order.TraceId != default
            ? _source.StartActivity(name, ActivityKind.Internal, order).SetOrder(orderRef, orderId)
            : null;

    /// <summary>Sagas per state, as last counted.</summary>
    public IReadOnlyDictionary<string, long> SagasByState => _sagasByState;

    /// <summary>An org-wide webhook was found and deleted.</summary>
    public void SecurityEvent(string kind) => _securityEvents.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>A read-back ended with <paramref name="outcome"/>.</summary>
    public void Reconciled(string outcome) => _reconciles.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>The webhook watch found a customer's webhook differing: <c>repaired</c>, <c>failed</c> or <c>inbox_gone</c>.</summary>
    public void WatchRepaired(string outcome) => _watchRepairs.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>A step was deferred: AgentMail stayed unavailable through the client's retries or answered unreadably, or the customer's lease was busy.</summary>
    public void StepDeferred(string step) => _deferrals.Add(1, new KeyValuePair<string, object?>("step", step));

    /// <summary>Replaces the per-state counts.</summary>
    public void SagasCounted(IReadOnlyDictionary<string, long> byState) => _sagasByState = byState;
}
