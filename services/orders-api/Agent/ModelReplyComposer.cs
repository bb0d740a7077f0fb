namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// The reply written by the configured model from <see cref="ReplyPrompt"/>, sent only when it passes
/// <see cref="ModelReplyCheck"/>: it goes out as the shop's written word. When the model fails, times out, answers
/// nothing, stops at its token bound or writes what the check refuses, the rule-based reply goes instead, so a customer
/// is never left without an answer, nor given one the shop did not mean; each such fallback is logged, and carried on
/// the reply (<see cref="ComposedReply.Fallback"/>) for <see cref="OrderAgent"/> to count once it is written.
/// </summary>
internal sealed partial class ModelReplyComposer(ChatCompletionsClient model, ILogger<ModelReplyComposer> logger) : IReplyComposer
{
    /// <summary>The composer's name in <c>agent_replies</c>.</summary>
    public const string Name = "model";

    /// <inheritdoc />
    public async Task<ComposedReply> ComposeAsync(ReplyRequest request, CancellationToken cancellationToken)
    {
        ModelAnswer answer;
        try
        {
            answer = await model.CompleteAsync(ReplyPrompt.For(request), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever failed: not only the call and its answer's JSON (HttpRequestException, a timeout, JsonException)
            // but what no one listed, such as an answer labelled with a charset .NET cannot decode
            // (InvalidOperationException). A failure let through would fail the reply on every retry and sweep, and
            // leave the customer with no answer for as long as the model misbehaves.
            LogFailed(logger, e.GetType().Name, e.Message);
            return FallBack(request, ModelFallbacks.Failed);
        }

        if (answer.Cut)
        {
            // An answer stopped at max_tokens ends mid-sentence, unsigned, perhaps mid-promise.
            LogCut(logger, request.Intent.Name(), answer.Text.Length);
            return FallBack(request, ModelFallbacks.Cut);
        }

        // Only the rule's name and the reply's length are logged: the reply may repeat whatever the customer wrote.
        if (ModelReplyCheck.BrokenRule(answer.Text, request) is { } rule)
        {
            LogRefused(logger, request.Intent.Name(), rule, answer.Text.Length);
            return FallBack(request, rule);
        }

        return new ComposedReply(answer.Text, Name);
    }

    private static ComposedReply FallBack(ReplyRequest request, string reason) => RuleBasedReplyComposer.Compose(request) with { Fallback = reason };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model did not write the reply ({Failure}: {Reason}); the rule-based composer answers instead")]
    private static partial void LogFailed(ILogger logger, string failure, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model's reply to a {Intent} message stopped at its token bound ({Length} characters); the rule-based composer answers instead")]
    private static partial void LogCut(ILogger logger, string intent, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model's reply to a {Intent} message breaks the rule {Rule} ({Length} characters) and is not sent; the rule-based composer answers instead")]
    private static partial void LogRefused(ILogger logger, string intent, string rule, int length);
}
