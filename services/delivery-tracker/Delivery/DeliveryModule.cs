using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrdersMail.BuildingBlocks.Housekeeping;
using OrdersMail.BuildingBlocks.Webhooks;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>Delivery state: Resend's webhooks, AgentMail's facts from the bus, and the facts kept for emails not known yet.</summary>
public static class DeliveryModule
{
    /// <summary>Registers the delivery services (the outbox and processed messages are registered by the composition).</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddOptions<ResendWebhookOptions>()
            .BindConfiguration(ResendWebhookOptions.Section)
            .Validate(o => o.MaxBodyBytes > 0, "Resend:MaxBodyBytes must be positive.")
            .Validate(
                o => string.IsNullOrEmpty(o.WebhookSecret) || IsUsable(o.WebhookSecret),
                "Resend:WebhookSecret (ORDERSMAIL_Resend__WebhookSecret) must be the endpoint's signing secret as Resend gave it: whsec_ followed by the base64 of a non-empty key.")
            .ValidateOnStart();
        services.AddOptions<PendingDeliveryOptions>().BindConfiguration(PendingDeliveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DeliveryTelemetry>();
        services.AddSingleton<DeliveryStateStore>();
        services.AddSingleton<ResendWebhookIngress>();
        services.AddSingleton<PendingDeliveryEvents>();
        services.AddHostedService(sp => sp.GetRequiredService<PendingDeliveryEvents>());

        // Svix keeps retrying a delivery for about 27.6 h (docs/resend.md §6); ids are kept for the retention
        // period (7 days by default), well past that.
        services.AddSingleton(new RetentionTarget("resend_webhook_deliveries", "received_at < @before"));

        // A kept fact waits seconds for its email's row (minutes when a relay died between a send and its record);
        // one still unmatched after the retention period never will be, and is dropped with the rest.
        services.AddSingleton(new RetentionTarget("pending_delivery_events", "received_at < @before"));
        return services;
    }

    /// <summary>Registers the AgentMail facts' consumer on a queue named after this service.</summary>
    public static IBusRegistrationConfigurator AddDeliveryConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<AgentMailDeliveryReportedConsumer>().Endpoint(e => e.Name = AgentMailDeliveryReportedConsumer.Name);
        return bus;
    }

    /// <summary>Maps <c>POST /webhooks/resend</c>, outside any authentication: the signature is the authentication.</summary>
    public static IEndpointRouteBuilder MapDelivery(this IEndpointRouteBuilder app)
    {
        // The 503 of an ingress with no secret is declared besides the database's, which has Retry-After: the document
        // then does not promise the header for every 503.
        app.MapPost(ResendWebhookEndpoint.Route, ResendWebhookEndpoint.ReceiveAsync)
            .WithName("ResendWebhook")
            .WithSummary("A Resend delivery event (docs/resend.md), signed by Svix with the endpoint's secret.")
            .WithDescription(
                "204 once applied, kept for an email the relay has not recorded yet, or known already. A refusal changes nothing. "
                + "503 without Retry-After while Resend:WebhookSecret is not configured.")
            .ProducesWebhookAnswers()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    // Checked at start, as the verifier would read it: a secret it cannot read would otherwise fail every webhook
    // with a 500 while the service reports itself ready.
    private static bool IsUsable(string secret)
    {
        try
        {
            _ = new SvixWebhookVerifier(secret);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
