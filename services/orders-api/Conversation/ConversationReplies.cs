using Dapper;
using Npgsql;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>
/// Our replies in an order's conversation: an outbound row per reply written to the mail outbox, carrying its email id.
/// AgentMail gives a reply its Message-ID when it sends it, so the row's <c>message_id</c> is a provisional one made from
/// the email id until the relay reports the real one (which the reply's claim keeps, for a row added after the report).
/// </summary>
internal static class ConversationReplies
{
    /// <summary>The provisional Message-ID of reply <paramref name="emailId"/>, until it is sent.</summary>
    public static string ProvisionalMessageId(Guid emailId) => $"<{emailId:N}@outbox.ordersmail.invalid>";

    /// <summary>Adds <paramref name="reply"/> to its order's conversation, read (it is ours); a second add of it changes nothing.</summary>
    public static Task AddAsync(NpgsqlTransaction transaction, OutboundReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(reply);
        return transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            insert into order_messages
                (order_id, message_id, thread_id, direction, from_address, subject, preview, body, sender_verified, is_read, received_at, email_id)
            values
                (@OrderId, @MessageId, @ThreadId, 'outbound', @From, @Subject, @Preview, @Body, false, true, now(), @EmailId)
            on conflict do nothing
            """,
            new
            {
                reply.OrderId,
                MessageId = ProvisionalMessageId(reply.EmailId),
                reply.ThreadId,
                reply.From,
                reply.Subject,
                Preview = MessagePreview.Of(reply.Body),
                reply.Body,
                reply.EmailId,
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>The relay sent reply <paramref name="emailId"/> under <paramref name="internetMessageId"/>: the row, if it exists yet, takes its real Message-ID.</summary>
    public static Task SetMessageIdAsync(NpgsqlTransaction transaction, Guid emailId, string internetMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            update order_messages m set message_id = @InternetMessageId
            where m.email_id = @EmailId and m.message_id <> @InternetMessageId
              and not exists (select 1 from order_messages o where o.order_id = m.order_id and o.message_id = @InternetMessageId)
            """,
            new { EmailId = emailId, InternetMessageId = internetMessageId },
            transaction,
            cancellationToken: cancellationToken));
    }
}

/// <summary>A reply of ours as the conversation shows it.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="EmailId">The outbox email's id.</param>
/// <param name="ThreadId">The customer's thread, which the reply joins.</param>
/// <param name="From">The address it is sent from: the customer's inbox.</param>
/// <param name="Subject">Its subject.</param>
/// <param name="Body">Its text.</param>
internal sealed record OutboundReply(Guid OrderId, Guid EmailId, string? ThreadId, string From, string Subject, string Body);
