using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrdersMail.BuildingBlocks.Delivery;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>
/// The delivery side's spans (<c>webhook verify</c>, <c>delivery state</c>) and metrics: Resend webhooks by outcome and
/// reason (<c>ordersmail.delivery.webhooks</c>), and the delivery states emails moved to (<c>ordersmail.delivery.states</c>).
/// </summary>
public sealed class DeliveryTelemetry
{
    /// <summary>
    /// Provider webhook deliveries the tracker answered, by provider, outcome (accepted, refused, or unavailable with
    /// reason database: answered 503 as its database could not take it now) and reason.
    /// </summary>
    public const string Webhooks = "ordersmail.delivery.webhooks";

    /// <summary>Forward moves of an email's delivery state, by provider and the state reached.</summary>
    public const string States = "ordersmail.delivery.states";

    private readonly ActivitySource _source;
    private readonly Counter<long> _webhooks;
    private readonly Counter<long> _states;

    /// <summary>Creates the instruments on the service's meter.</summary>
    public DeliveryTelemetry(ServiceTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _source = telemetry.ActivitySource;
        _webhooks = telemetry.Meter.CreateCounter<long>(Webhooks, "{delivery}", "Provider webhook deliveries, by provider, outcome (accepted, refused, unavailable) and reason.");
        _states = telemetry.Meter.CreateCounter<long>(States, "{email}", "Delivery states emails moved forward to, by provider and state.");
    }

    /// <summary>Starts the span of one webhook delivery: verified, deduplicated, applied.</summary>
    public Activity? StartWebhook(string provider) => _source.StartActivity("webhook verify", ActivityKind.Internal)?.SetTag("ordersmail.webhook.provider", provider);

    /// <summary>Starts the span of applying one delivery fact, under <paramref name="parent"/> when it was kept from an earlier trace.</summary>
    public Activity? StartStateChange(ActivityContext parent = default) => _source.StartActivity("delivery state", ActivityKind.Internal, parent);

    /// <summary>Counts a webhook delivery and tags the current span with how it ended.</summary>
    public void WebhookAnswered(string provider, string outcome, string reason)
    {
        Activity.Current?.SetTag("ordersmail.webhook.outcome", outcome).SetTag("ordersmail.webhook.reason", reason);
        _webhooks.Add(
            1,
            new KeyValuePair<string, object?>("provider", provider),
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("reason", reason));
    }

    /// <summary>Counts a committed apply of <paramref name="fact"/>: its state when the email moved to it, else nothing.</summary>
    public void Applied(DeliveryFact fact, DeliveryOutcome? outcome)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (outcome == DeliveryOutcome.Moved)
        {
            StateChanged(fact.Provider, fact.State);
        }
    }

    /// <summary>Counts an email's move to <paramref name="state"/>, once committed.</summary>
    public void StateChanged(EmailProvider provider, DeliveryState state) =>
        _states.Add(
            1,
            new KeyValuePair<string, object?>("provider", EmailProviders.Name(provider)),
            new KeyValuePair<string, object?>("state", DeliveryStates.Name(state)));
}
