using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Conversation;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Carries out a <see cref="ReplyDecision"/> after the recording transaction committed its claim, holding no connection
/// while the composer (perhaps a model over HTTP) works: compose, then write the file under the claim's lock unless a
/// racing run wrote it first (<see cref="AgentReplies.WriteOnceAsync"/>), which also adds the reply to the conversation.
/// A rule-based reply in the model's place is counted (<see cref="ModelFallbacks"/>) only when this run wrote it: a run
/// that writes nothing composed in vain, and the sweeper runs a claim again until one writes.
/// </summary>
internal sealed partial class OrderAgent(
    IReplyComposer composer, MailOutboxWriter outbox, MailOutboxReader written, AgentReplies replies, ModelFallbacks fallbacks, ILogger<OrderAgent> logger)
{
    /// <summary>Writes the reply <paramref name="decision"/> asks for, if any.</summary>
    public async Task AnswerAsync(InboundMessageRouted message, ReplyDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(decision);
        if (decision is not { Request: { } request, Claim: { } claim })
        {
            LogNoAnswer(logger, message.MessageId, message.OrderId, decision.NoAnswer);
            return;
        }

        var intent = request.Intent.Name();
        var reply = await composer.ComposeAsync(request, cancellationToken);
        var email = AgentReplyEmail.For(message, reply.Body);
        var wrote = await replies.WriteOnceAsync(claim, reply.Composer, (mayBeLeft, ct) => WriteUnlessLeftAsync(message, claim, email, mayBeLeft, ct), cancellationToken);
        if (wrote)
        {
            if (reply.Fallback is { } reason)
            {
                fallbacks.Add(reason);
            }

            LogAnswered(logger, message.MessageId, message.OrderId, intent, request.Verified, reply.Composer, claim.FileName);
        }
        else
        {
            LogAnsweredByAnother(logger, message.MessageId, message.OrderId);
        }
    }

    // A run that died after its file, before recording it, left the file, which the relay may have sent already: that file
    // is the reply, recorded as it is, not one composed now over it (its text follows the order's state, a model's varies).
    // Only a claim another run made or took over can have a file: the common reply, claimed by this run and by no other
    // since, looks nowhere.
    private async Task<OutboundReply> WriteUnlessLeftAsync(
        InboundMessageRouted message, AgentReplyClaim claim, OutboxEmail composed, bool mayBeLeft, CancellationToken cancellationToken)
    {
        var email = mayBeLeft ? await written.FindAsync(claim.FileName, cancellationToken) : null;
        if (email is null)
        {
            await outbox.WriteAsync(composed, claim.FileName, cancellationToken);
        }
        else
        {
            LogLeftByADeadRun(logger, message.MessageId, message.OrderId, claim.FileName);
        }

        var reply = email ?? composed;
        return new OutboundReply(message.OrderId, claim.EmailId, message.ThreadId, message.InboxId, reply.Subject, reply.Body);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of order {OrderId} was answered by a run racing this one; this one writes nothing")]
    private static partial void LogAnsweredByAnother(ILogger logger, string messageId, Guid orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reply to message {MessageId} of order {OrderId} is outbox file {File}, which a run that died before recording it left; it is recorded as it is, not composed again")]
    private static partial void LogLeftByADeadRun(ILogger logger, string messageId, Guid orderId, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of order {OrderId} gets no reply: {Reason}")]
    private static partial void LogNoAnswer(ILogger logger, string messageId, Guid orderId, NoAnswer? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered message {MessageId} of order {OrderId} ({Intent}, verified sender: {Verified}, by {Composer}) with outbox file {File}")]
    private static partial void LogAnswered(ILogger logger, string messageId, Guid orderId, string intent, bool verified, string composer, string file);
}
