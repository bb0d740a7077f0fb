namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// The reply written by the configured model from <see cref="ReplyPrompt"/>; when the model fails, times out or
/// answers nothing, the rule-based reply goes instead, so a customer is never left without an answer.
/// </summary>
internal sealed partial class ModelReplyComposer(ChatCompletionsClient model, ILogger<ModelReplyComposer> logger) : IReplyComposer
{
    /// <summary>The composer's name in <c>agent_replies</c>.</summary>
    public const string Name = "model";

    /// <inheritdoc />
    public async Task<ComposedReply> ComposeAsync(ReplyRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return new ComposedReply(await model.CompleteAsync(ReplyPrompt.For(request), cancellationToken), Name);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever failed: not only the call and its answer's JSON (HttpRequestException, a timeout, JsonException)
            // but what no one listed, such as an answer labelled with a charset .NET cannot decode
            // (InvalidOperationException). A failure let through would fail the reply on every retry and sweep, and
            // leave the customer with no answer for as long as the model misbehaves.
            LogFallback(logger, e.GetType().Name, e.Message);
            return RuleBasedReplyComposer.Compose(request);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model did not write the reply ({Failure}: {Reason}); the rule-based composer answers instead")]
    private static partial void LogFallback(ILogger logger, string failure, string reason);
}
