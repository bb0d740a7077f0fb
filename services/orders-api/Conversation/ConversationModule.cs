using MassTransit;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>Each order's conversation: the messages of its thread, with mailbox semantics.</summary>
public static class ConversationModule
{
    /// <summary>Registers the conversation services.</summary>
    public static IServiceCollection AddConversation(this IServiceCollection services)
    {
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<InboundMessageRecorder>();
        return services;
    }

    /// <summary>Registers the consumer that records routed inbound messages.</summary>
    public static IBusRegistrationConfigurator AddConversationConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<InboundMessageRoutedConsumer>().Endpoint(e => e.Name = InboundMessageRoutedConsumer.QueueName);
        return bus;
    }

    /// <summary>Maps <c>/api/orders/{id}/messages</c>.</summary>
    public static RouteGroupBuilder MapConversation(this RouteGroupBuilder orders)
    {
        ConversationEndpoints.Map(orders);
        return orders;
    }
}
