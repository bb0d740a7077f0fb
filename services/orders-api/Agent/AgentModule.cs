using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// The order agent: answers each routed inbound message through the mail outbox, and its sweeper writes the replies
/// their consumer could not.
/// </summary>
public static class AgentModule
{
    /// <summary>
    /// Registers the agent and its sweeper (settings <c>Agent:Replies</c>, <c>Agent:AnswerLimit</c> and the model's URL, key, timeout and token bound, checked at start). The composer is the
    /// model's when <c>Agent:ChatCompletions</c> has a URL and a key, the rule-based one when it has neither (one without
    /// the other does not start), logged once at start; chosen when resolved, so it follows the configuration the host ends up with.
    /// </summary>
    public static IServiceCollection AddOrderAgent(this IServiceCollection services)
    {
        services.AddMailOutboxWriter();
        services.AddOptions<ChatCompletionsOptions>().BindConfiguration(ChatCompletionsOptions.Section)
            .Validate(o => o.Url is null || o.Url is { IsAbsoluteUri: true, Scheme: "http" or "https" }, $"{ChatCompletionsOptions.Section}:Url must be an absolute http or https URL.")
            .Validate(
                o => o.Url is null || o.HasApiKey,
                $"{ChatCompletionsOptions.Section}:ApiKey must be set when {ChatCompletionsOptions.Section}:Url is: a model needs both, and with one the rule-based composer would answer for good.")
            .Validate(
                o => o.Url is not null || !o.HasApiKey,
                $"{ChatCompletionsOptions.Section}:Url must be set when {ChatCompletionsOptions.Section}:ApiKey is: a model needs both, and with one the rule-based composer would answer for good.")
            .Validate(
                o => o.Timeout >= ChatCompletionsOptions.MinTimeout && o.Timeout <= ChatCompletionsOptions.MaxTimeout,
                $"{ChatCompletionsOptions.Section}:Timeout must be between {ChatCompletionsOptions.MinTimeout} and {ChatCompletionsOptions.MaxTimeout}.")
            .Validate(
                o => o.MaxTokens is >= ChatCompletionsOptions.MinMaxTokens and <= ChatCompletionsOptions.MaxMaxTokens,
                $"{ChatCompletionsOptions.Section}:MaxTokens must be between {ChatCompletionsOptions.MinMaxTokens} and {ChatCompletionsOptions.MaxMaxTokens}.")
            .ValidateOnStart();
        services.AddOptions<AgentReplyOptions>().BindConfiguration(AgentReplyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AnswerLimitOptions>().BindConfiguration(AnswerLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ModelFallbacks>();
        services.AddSingleton<AgentReplies>();
        services.AddSingleton<AnswerLimit>();
        services.AddSingleton<AbandonedReplies>();
        services.AddSingleton<AgentReplySweeper>();
        services.AddHostedService<ComposerStartLog>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentReplySweeper>());
        services.AddTransient<OrderAgent>();
        services.AddHttpClient<ChatCompletionsClient>((sp, http) => http.Timeout = sp.GetRequiredService<IOptions<ChatCompletionsOptions>>().Value.Timeout);
        services.AddTransient<IReplyComposer>(sp => sp.GetRequiredService<IOptions<ChatCompletionsOptions>>().Value.IsConfigured
            ? ActivatorUtilities.CreateInstance<ModelReplyComposer>(sp)
            : new RuleBasedReplyComposer());
        return services;
    }
}
