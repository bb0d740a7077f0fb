using MassTransit;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Housekeeping;
using OrdersMail.BuildingBlocks.Ops;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Inbound;
using OrdersMail.Contracts.Outbound;
using OrdersMail.InboundRouter.Ingress;
using OrdersMail.InboundRouter.Learning;
using OrdersMail.InboundRouter.Recovery;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.InboundRouter.Secrets;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter;

/// <summary>What inbound-router is made of: the webhook ingress, the secrets it verifies with, the routing pump behind it, and what it learns from the bus.</summary>
public static class InboundRouterComposition
{
    /// <summary>Where the AgentMail client's settings are (<c>ORDERSMAIL_InboundRouter__AgentMail__ApiKey</c>...).</summary>
    public const string AgentMailSection = "InboundRouter:AgentMail";

    /// <summary>The events the router's outbox carries: what it tells the others.</summary>
    public static readonly OutboxMessageTypes OutboxMessages = new(typeof(AgentMailDeliveryReported), typeof(InboundMessageRouted), typeof(InboundMessageParked));

    /// <summary>Registers the services.</summary>
    public static WebApplicationBuilder AddInboundRouter(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOpsAccess();
        services.AddOptions<IngressOptions>().BindConfiguration(IngressOptions.Section)
            .Validate(o => o.IsValid, $"{IngressOptions.Section}: sizes, counts and times must be positive.")
            .Validate(
                o => o.RecordTimeout <= IngressOptions.LongestRecordTimeout,
                $"{IngressOptions.Section}:RecordTimeout must be at most {IngressOptions.LongestRecordTimeout:c}: AgentMail's deliveries wait about 15 s for an answer.")
            .Validate(
                o => o.CommitLinger <= IngressOptions.LongestRecordTimeout && o.SecretLookupTimeout <= IngressOptions.LongestRecordTimeout,
                $"{IngressOptions.Section}:CommitLinger and SecretLookupTimeout must be at most {IngressOptions.LongestRecordTimeout:c}: a request waits for them, and AgentMail's deliveries wait about 15 s for an answer.")
            .ValidateOnStart();
        services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.Section)
            .Validate(o => o.IsValid, $"{RoutingOptions.Section}: sizes and counts must be positive, times not negative.")
            .Validate(
                o => o.ScanInterval <= RoutingOptions.LongestWait && o.RetryBaseDelay <= RoutingOptions.LongestWait && o.MissedMailRetryDelay <= RoutingOptions.LongestWait,
                $"{RoutingOptions.Section}:ScanInterval, RetryBaseDelay and MissedMailRetryDelay must be at most {RoutingOptions.LongestWait:c}: mail left by a crash or another replica, "
                + "or after a failure, waits that long.")
            .Validate<IOptions<RetentionOptions>>(
                (o, retention) => o.MissedMailWindow < retention.Value.KeepFor,
                $"{RoutingOptions.Section}:MissedMailWindow must be shorter than InboundRouter:{RetentionOptions.Section}:KeepFor: "
                + "a look for missed mail further back than the routing decisions are kept would route mail a second time.")
            .Validate<IOptions<RetentionOptions>>(
                (o, retention) => o.UnattendedKeepFor >= retention.Value.KeepFor,
                $"{RoutingOptions.Section}:UnattendedKeepFor must be at least InboundRouter:{RetentionOptions.Section}:KeepFor: "
                + "mail nobody has looked at yet is kept no shorter than what is done with.")
            .ValidateOnStart();
        services.AddOutbox(OutboxMessages);

        // Svix retries a delivery for about 28 h (docs/agentmail.md §4): received events are kept for the retention
        // period (InboundRouter:Retention:KeepFor, 7 days by default), well past that, so a late retry is still a duplicate.
        // An email still waiting for routing (its payload not cleared yet) is never swept, however old. A row set aside
        // for a person (claimed_until 'infinity') is kept for Routing:UnattendedKeepFor, as parked messages are: an email
        // routing could not decide keeps its payload, and an event the ingress could not read has only the body it came with.
        // A row dismissed by a person is done with when it was dismissed, not when it came: kept as long from then.
        services.AddSingleton(new RetentionTarget(
            "received_events",
            "received_at < @before and email is null and claimed_until is distinct from 'infinity' and (dismissed_at is null or dismissed_at < @before)"));
        services.AddSingleton(sp => new RetentionTarget(
            "received_events", "claimed_until = 'infinity' and received_at < @before", sp.GetRequiredService<IOptions<RoutingOptions>>().Value.UnattendedKeepFor));

        // A routing decision is remembered as long as the events that could bring its message again: after that the
        // same message cannot come back, and the table would otherwise grow by one row per email for good.
        services.AddSingleton(new RetentionTarget("routed_messages", "decided_at < @before"));

        // A parked message routed again or dismissed is kept as long, so a page of the parked list that ended with it
        // still says where the next one starts; one nobody acted on for Routing:UnattendedKeepFor, longer (see there).
        services.AddSingleton(new RetentionTarget(
            "parked_messages", "(routed_at is not null or dismissed_at is not null) and coalesce(routed_at, dismissed_at) < @before"));
        services.AddSingleton(sp => new RetentionTarget(
            "parked_messages",
            "routed_at is null and dismissed_at is null and parked_at < @before",
            sp.GetRequiredService<IOptions<RoutingOptions>>().Value.UnattendedKeepFor));
        services.AddAgentMailClient(AgentMailSection, InboundRouterService.Info.Name);
        services.AddSingleton<IAgentMailDirectory, AgentMailDirectory>();
        services.AddSingleton<InboxWebhookStore>();
        services.AddSingleton<InboxSecrets>();
        services.AddSingleton<IngressMetrics>();
        services.AddSingleton<ReceivedEventLog>();
        services.AddSingleton<UnreadableEvents>();
        services.AddHostedService(sp => sp.GetRequiredService<ReceivedEventLog>());
        services.AddSingleton<RoutingSignal>();
        services.AddSingleton<UnroutedEmails>();
        services.AddSingleton<HandedEmails>();
        services.AddSingleton<MessageBodies>();
        services.AddSingleton<RoutingPump>();
        services.AddHostedService(sp => sp.GetRequiredService<RoutingPump>());
        services.AddSingleton<OrderLookup>();
        services.AddSingleton<InboxOrderRefs>();
        services.AddSingleton<InboundRouting>();
        services.AddSingleton<MissedMail>();
        services.AddSingleton<MissedMailLookups>();
        services.AddSingleton<MissedMailMetrics>();
        services.AddSingleton<MissedMailSignal>();
        services.AddHostedService<MissedMailPump>();
        services.AddSingleton<RoutedMessages>();
        services.AddSingleton<RoutingTelemetry>();
        services.AddRowCountGauge<ParkedGauge>();
        services.AddSingleton<ParkedMessages>();
        services.AddRowCountGauge<SetAsideGauge>();
        services.AddSingleton<SetAsideEmails>();
        return builder;
    }

    /// <summary>
    /// Registers the consumers, each on a queue named after this service (another service's consumer of the same class
    /// name would otherwise share its queue).
    /// </summary>
    public static void AddInboundRouterConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<InboxReadyConsumer>().Endpoint(e => e.Name = InboxReadyConsumer.Name);
        bus.AddConsumer<InboxWebhookReplacedConsumer>().Endpoint(e => e.Name = InboxWebhookReplacedConsumer.Name);
        bus.AddConsumer<OrderCreatedConsumer>().Endpoint(e => e.Name = OrderCreatedConsumer.Name);
        bus.AddConsumer<OutboundMessageIdsConsumer>().Endpoint(e => e.Name = OutboundMessageIdsConsumer.Name);
    }

    /// <summary>Maps the webhook ingress and the ops routes.</summary>
    public static WebApplication MapInboundRouter(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapAgentMailWebhook();
        app.MapParkedMessages();
        app.MapSetAsideEmails();
        app.MapMissedMail();
        return app;
    }
}
