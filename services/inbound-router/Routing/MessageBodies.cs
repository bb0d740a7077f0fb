using OrdersMail.BuildingBlocks.Messaging;
using OrdersMail.InboundRouter.Secrets;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>Completes an email whose webhook left the body out (AgentMail does above 1 MB) by reading it from AgentMail.</summary>
public sealed partial class MessageBodies(IAgentMailDirectory agentMail, ILogger<MessageBodies> logger)
{
    /// <summary>
    /// What begins the text of an email AgentMail answered with more than <see cref="AgentMailClient.MaxAnswerBytes"/>:
    /// it is routed with the new words its webhook carried, if any, after this note, for a person to read it in AgentMail.
    /// </summary>
    public const string TooLargeNote = "[This email was too large to read (AgentMail's answer was over 4 MB); only what its notification carried is shown. Read it whole in AgentMail.]";

    /// <summary>
    /// <paramref name="email"/> with its body: as it is when it has one, else as AgentMail has it (empty when AgentMail has
    /// no such message), its text taken from its HTML when it has none and cut to <see cref="InboundText.MaxLength"/>, its
    /// HTML left out: a batch holds at most that of each email it read back, whatever was sent. An email AgentMail answers
    /// past its bound is read no further: it keeps what its webhook carried, after <see cref="TooLargeNote"/>.
    /// </summary>
    public async Task<InboundEmailReceived> WithBodyAsync(InboundEmailReceived email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (email.HasBody)
        {
            return email;
        }

        MessageBody? body;
        try
        {
            body = await agentMail.GetMessageBodyAsync(email.InboxId, email.MessageId, cancellationToken);
        }
        catch (AgentMailAnswerTooLargeException)
        {
            LogTooLarge(logger, email.MessageId, AgentMailClient.MaxAnswerBytes);
            var carried = email.ExtractedText ?? HtmlText.Of(email.ExtractedHtml);
            return email with { Text = InboundText.Bounded(carried.Length == 0 ? TooLargeNote : $"{TooLargeNote}\n\n{carried}"), ExtractedText = null, ExtractedHtml = null };
        }

        LogBodyRead(logger, email.MessageId, body is not null);

        // Empty text only when AgentMail has neither text nor HTML (or no such message), so the email is not read back again.
        return email with
        {
            Text = InboundText.Bounded(body?.Text ?? HtmlText.Of(body?.Html)),
            Html = null,
            ExtractedText = InboundText.BoundedOrNull(body?.ExtractedText ?? (body?.ExtractedHtml is { } html ? HtmlText.Of(html) : null)),
            ExtractedHtml = null,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing: the webhook of message {MessageId} had no body; read from AgentMail (found: {Found})")]
    private static partial void LogBodyRead(ILogger logger, string messageId, bool found);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: AgentMail answered message {MessageId} with more than {MaxBytes} bytes; routed with what its webhook carried, marked")]
    private static partial void LogTooLarge(ILogger logger, string messageId, long maxBytes);
}
