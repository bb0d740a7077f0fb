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
        // An HTML-only message keeps no text, so routing takes its text from the HTML as it does for a webhook's body;
        // empty text only when AgentMail has neither (or no such message), so the email is not read back again.
        return email with
        {
            Text = body is { Text: null, Html: not null } ? null : body?.Text ?? "",
            Html = body?.Html,
            ExtractedText = body?.ExtractedText,
            ExtractedHtml = body?.ExtractedHtml,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing: the webhook of message {MessageId} had no body; read from AgentMail (found: {Found})")]
    private static partial void LogBodyRead(ILogger logger, string messageId, bool found);
}
