using MassTransit;
using OrdersMail.OrdersApi.Emails;
using OrdersMail.OrdersApi.Http;
using OrdersMail.OrdersApi.Paging;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>Orders: placing them, reading them, and publishing their events through the outbox.</summary>
public static class OrdersModule
{
    /// <summary>Registers the orders services (their outbox is the building blocks', see <see cref="OrdersApiComposition"/>).</summary>
    public static IServiceCollection AddOrders(this IServiceCollection services)
    {
        services.AddOptions<PlacementLimitOptions>().BindConfiguration(PlacementLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OrderPlacement>();
        services.AddSingleton<OrderPlacementTelemetry>();
        services.AddSingleton<OrderReader>();
        services.AddSingleton<OrderEmailReader>();
        return services;
    }

    /// <summary>
    /// Registers the consumers that keep each order's view up to date. Each queue is named after this service
    /// (<c>orders-api-...</c>): the default name comes from the consumer's class alone (<c>inbox-ready</c>), and
    /// another service's consumer of the same name would share that queue, the two competing for the messages
    /// instead of each getting a copy.
    /// </summary>
    public static IBusRegistrationConfigurator AddOrdersConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<InboxReadyConsumer>().Endpoint(e => e.Name = InboxReadyConsumer.Name);
        bus.AddConsumer<InboxProvisioningFailedConsumer>().Endpoint(e => e.Name = InboxProvisioningFailedConsumer.Name);
        bus.AddConsumer<OutboundEmailQueuedConsumer>().Endpoint(e => e.Name = OutboundEmailQueuedConsumer.Name);
        bus.AddConsumer<OutboundEmailSentConsumer>().Endpoint(e => e.Name = OutboundEmailSentConsumer.Name);
        bus.AddConsumer<OutboundEmailFailedConsumer>().Endpoint(e => e.Name = OutboundEmailFailedConsumer.Name);
        bus.AddConsumer<DeliveryStateChangedConsumer>().Endpoint(e => e.Name = DeliveryStateChangedConsumer.Name);
        return bus;
    }

    /// <summary>Maps <c>/api/orders</c> and each order's emails.</summary>
    public static RouteGroupBuilder MapOrders(this RouteGroupBuilder orders)
    {
        orders.MapPost("", OrdersEndpoints.PlaceAsync).WithName("PlaceOrder").Accepts<PlaceOrderBody>("application/json")
            .WithIdempotencyHeaders().WithPlacementLimitHeaders();
        orders.MapGet("", OrdersEndpoints.ListAsync).WithName("ListOrders")
            .WithQueryParameters(PageParameters.Of("Orders", OrdersEndpoints.DefaultLimit, OrdersEndpoints.MaxLimit));
        orders.MapGet("/{id}", OrdersEndpoints.GetAsync).WithName("GetOrder");
        return orders.MapOrderEmails();
    }
}
