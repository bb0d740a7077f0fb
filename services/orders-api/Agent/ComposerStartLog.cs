using Microsoft.Extensions.Options;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Says once, as the host starts, which composer writes the agent's replies: the model (its host and name) or the
/// rule-based one. The choice is made quietly for each reply, and a model left unconfigured looked like one that works.
/// </summary>
public sealed partial class ComposerStartLog(IOptions<ChatCompletionsOptions> options, ILogger<ComposerStartLog> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Only the URL's host: its path or query may carry what the key does not.
        if (options.Value is { IsConfigured: true, Url: { } url } model)
        {
            LogModel(logger, model.Model, url.Host);
        }
        else
        {
            LogRules(logger, ChatCompletionsOptions.Section);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "The agent's replies are written by the model {Model} at {Host}, the rule-based composer answering when it fails or its reply is refused")]
    private static partial void LogModel(ILogger logger, string model, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "The agent's replies are written by the rule-based composer: {Section} has no Url and ApiKey")]
    private static partial void LogRules(ILogger logger, string section);
}
