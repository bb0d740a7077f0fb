using OrdersMail.InboundRouter.Secrets;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>Completes an email whose webhook left the body out (AgentMail does above 1 MB) by reading it from AgentMail.</summary>
public sealed partial class MessageBodies(IAgentMailDirectory agentMail, ILogger<MessageBodies> logger)
{
    /// <summary><paramref name="email"/> with its body: as it is when it has one, else as AgentMail has it (empty when AgentMail has no such message).</summary>
    public async Task<InboundEmailReceived> WithBodyAsync(InboundEmailReceived email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (email.HasBody)
        {
            return email;
        }

        var body = await agentMail.GetMessageBodyAsync(email.InboxId, email.MessageId, cancellationToken);
        LogBodyRead(logger, email.MessageId, body is not null);
        return email with { Text = body?.Text ?? "", Html = body?.Html };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing: the webhook of message {MessageId} had no body; read from AgentMail (found: {Found})")]
    private static partial void LogBodyRead(ILogger logger, string messageId, bool found);
}
