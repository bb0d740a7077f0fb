using Microsoft.AspNetCore.Mvc;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.AgentMail.Messages;

/// <summary>
/// <c>POST …/messages/send</c> and <c>POST …/messages/{message_id}/reply</c>. Everything after the key check runs
/// under the <c>Idempotency-Key</c>, so a replay answers the original ids even if the inbox or message changed since.
/// </summary>
internal static class MessageSendHandlers
{
    public static async Task<IResult> SendAsync([FromRoute(Name = "inbox_id")] string inboxId, HttpRequest http, AgentMailStore store, AgentMailEvents events)
    {
        var (key, keyError) = SendIdempotency.ReadKey(http);
        if (keyError is not null)
        {
            return keyError;
        }

        var (body, bodyError) = await MessageBody.ReadAsync(http);
        if (bodyError is not null)
        {
            return bodyError;
        }

        return store.SendIdempotency.Run(key, SendIdempotency.Fingerprint("messages.send", inboxId, null, body), () =>
        {
            if (store.FindInbox(inboxId) is not { } inbox)
            {
                return (null, AgentMailError.NotFound("Inbox not found"));
            }

            var (request, bindError) = MessageBody.Bind<SendMessageRequest>(body);
            if (bindError is not null)
            {
                return (null, bindError);
            }

            var (email, error) = OutgoingEmail.ForSend(request!);
            return error is not null ? (null, error) : new OutboundSender(store, events).Send(inbox, email!);
        });
    }

    public static async Task<IResult> ReplyAsync([FromRoute(Name = "inbox_id")] string inboxId, [FromRoute(Name = "message_id")] string messageId, HttpRequest http, AgentMailStore store, AgentMailEvents events)
    {
        var (key, keyError) = SendIdempotency.ReadKey(http);
        if (keyError is not null)
        {
            return keyError;
        }

        var (body, bodyError) = await MessageBody.ReadAsync(http);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var fingerprint = SendIdempotency.Fingerprint("messages.reply", inboxId, MessageIds.Normalize(messageId), body);
        return store.SendIdempotency.Run(key, fingerprint, () =>
        {
            var (inbox, original, notFound) = MessageEndpoints.Find(store, inboxId, messageId);
            if (notFound is not null)
            {
                return (null, notFound);
            }

            var (request, bindError) = MessageBody.Bind<ReplyToMessageRequest>(body);
            if (bindError is not null)
            {
                return (null, bindError);
            }

            var (email, error) = OutgoingEmail.ForReply(inbox!, original!, request!);
            return error is not null ? (null, error) : new OutboundSender(store, events).Send(inbox!, email!);
        });
    }
}
