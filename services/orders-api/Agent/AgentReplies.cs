using Dapper;
using Npgsql;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>The <c>agent_replies</c> table: which inbound messages already have their reply in the mail outbox.</summary>
internal sealed class AgentReplies(NpgsqlDataSource dataSource)
{
    /// <summary>True when the reply to (<paramref name="orderId"/>, <paramref name="messageId"/>) was written.</summary>
    public static Task<bool> WasWrittenAsync(NpgsqlTransaction transaction, Guid orderId, string messageId, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from agent_replies where order_id = @OrderId and message_id = @MessageId)",
            new { OrderId = orderId, MessageId = messageId },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>Records that <paramref name="reply"/> is in the outbox; a second record of it changes nothing.</summary>
    public async Task MarkWrittenAsync(WrittenReply reply, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into agent_replies (order_id, message_id, email_id, file_name, intent, composer)
            values (@OrderId, @MessageId, @EmailId, @FileName, @Intent, @Composer)
            on conflict do nothing
            """,
            reply,
            cancellationToken: cancellationToken));
    }
}

/// <summary>A reply now in the mail outbox, as <c>agent_replies</c> records it.</summary>
internal sealed record WrittenReply(Guid OrderId, string MessageId, Guid EmailId, string FileName, string Intent, string Composer);
