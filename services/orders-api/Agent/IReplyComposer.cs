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
public sealed record ComposedReply(string Body, string Composer);
