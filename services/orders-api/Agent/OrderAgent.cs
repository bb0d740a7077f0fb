using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Contracts.Inbound;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Carries out a <see cref="ReplyDecision"/> after the recording transaction committed, holding no connection while the
/// composer (perhaps a model over HTTP) works: compose, write the file to the mail outbox, then record in
/// <c>agent_replies</c> that it was written, so a later run for the message writes nothing.
/// </summary>
internal sealed partial class OrderAgent(IReplyComposer composer, MailOutboxWriter outbox, AgentReplies replies, ILogger<OrderAgent> logger)
{
    /// <summary>Writes the reply <paramref name="decision"/> asks for, if any.</summary>
    public async Task AnswerAsync(InboundMessageRouted message, ReplyDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Request is not { } request)
        {
            LogNoAnswer(logger, message.MessageId, message.OrderId, decision.NoAnswer);
            return;
        }

        var intent = request.Intent.Name();
        var reply = await composer.ComposeAsync(request, cancellationToken);
        var email = AgentReplyEmail.For(message, reply.Body);
        var file = await outbox.WriteAsync(email, cancellationToken);
        await replies.MarkWrittenAsync(
            new WrittenReply(message.OrderId, message.MessageId, email.EmailId!.Value, file, intent, reply.Composer), cancellationToken);
        LogAnswered(logger, message.MessageId, message.OrderId, intent, request.Verified, reply.Composer, file);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of order {OrderId} gets no reply: {Reason}")]
    private static partial void LogNoAnswer(ILogger logger, string messageId, Guid orderId, NoAnswer? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered message {MessageId} of order {OrderId} ({Intent}, verified sender: {Verified}, by {Composer}) with outbox file {File}")]
    private static partial void LogAnswered(ILogger logger, string messageId, Guid orderId, string intent, bool verified, string composer, string file);
}
