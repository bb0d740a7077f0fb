using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Conversation;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Carries out a <see cref="ReplyDecision"/> after the recording transaction committed its claim, holding no connection
/// while the composer (perhaps a model over HTTP) works: compose, then write the file under the claim's lock unless a
/// racing run wrote it first (<see cref="AgentReplies.WriteOnceAsync"/>), which also adds the reply to the conversation.
/// </summary>
internal sealed partial class OrderAgent(IReplyComposer composer, MailOutboxWriter outbox, AgentReplies replies, ILogger<OrderAgent> logger)
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
        var outbound = new OutboundReply(message.OrderId, claim.EmailId, message.ThreadId, message.InboxId, email.Subject, email.Body);
        var wrote = await replies.WriteOnceAsync(
            claim, outbound, reply.Composer, ct => outbox.WriteAsync(email, claim.FileName, ct), cancellationToken);
        if (wrote)
        {
            LogAnswered(logger, message.MessageId, message.OrderId, intent, request.Verified, reply.Composer, claim.FileName);
        }
        else
        {
            LogAnsweredByAnother(logger, message.MessageId, message.OrderId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of order {OrderId} was answered by a run racing this one; this one writes nothing")]
    private static partial void LogAnsweredByAnother(ILogger logger, string messageId, Guid orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of order {OrderId} gets no reply: {Reason}")]
    private static partial void LogNoAnswer(ILogger logger, string messageId, Guid orderId, NoAnswer? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered message {MessageId} of order {OrderId} ({Intent}, verified sender: {Verified}, by {Composer}) with outbox file {File}")]
    private static partial void LogAnswered(ILogger logger, string messageId, Guid orderId, string intent, bool verified, string composer, string file);
}
