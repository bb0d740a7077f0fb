namespace OrdersMail.OrdersApi.Agent;

/// <summary>Writes the text of the agent's reply. The rule-based composer always works; a model may write it instead.</summary>
public interface IReplyComposer
{
    /// <summary>The reply's body for <paramref name="request"/>, and which composer wrote it.</summary>
    Task<ComposedReply> ComposeAsync(ReplyRequest request, CancellationToken cancellationToken);
}

/// <summary>A composed reply.</summary>
/// <param name="Body">The plain-text body.</param>
/// <param name="Composer"><c>rules</c> or <c>model</c>, as <c>agent_replies</c> records it.</param>
/// <param name="Fallback">
/// Why the model's reply was not the one (a <see cref="ModelFallbacks"/> reason), when the rule-based reply stands in for
/// it: counted once the reply is written, as a run that writes nothing (the outbox away, a racing run first) composes again.
/// </param>
public sealed record ComposedReply(string Body, string Composer, string? Fallback = null);
