using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>The order agent: answers each routed inbound message through the mail outbox.</summary>
public static class AgentModule
{
    /// <summary>
    /// Registers the agent. The composer is the model's when <c>Agent:ChatCompletions</c> has a URL and a key, the
    /// rule-based one otherwise; chosen when resolved, so it follows the configuration the host ends up with.
    /// </summary>
    public static IServiceCollection AddOrderAgent(this IServiceCollection services)
    {
        services.AddMailOutboxWriter();
        services.AddOptions<ChatCompletionsOptions>().BindConfiguration(ChatCompletionsOptions.Section);
        services.AddSingleton<AgentReplies>();
        services.AddTransient<OrderAgent>();
        services.AddHttpClient<ChatCompletionsClient>((sp, http) => http.Timeout = sp.GetRequiredService<IOptions<ChatCompletionsOptions>>().Value.Timeout);
        services.AddTransient<IReplyComposer>(sp => sp.GetRequiredService<IOptions<ChatCompletionsOptions>>().Value.IsConfigured
            ? ActivatorUtilities.CreateInstance<ModelReplyComposer>(sp)
            : new RuleBasedReplyComposer());
        return services;
    }
}
