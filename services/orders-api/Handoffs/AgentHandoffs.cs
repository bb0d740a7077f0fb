using Dapper;
using Npgsql;

namespace OrdersMail.OrdersApi.Handoffs;

/// <summary>
/// The messages the agent handed to a person, kept apart from the message's labels (the customer's to change): recorded
/// where the agent decides, listed for ops, marked done by them.
/// </summary>
public sealed class AgentHandoffs(NpgsqlDataSource dataSource, HandoffGauge gauge)
{
    /// <summary>
    /// Hands the recorded message (<paramref name="orderId"/>, <paramref name="messageId"/>) to a person, in the
    /// transaction that records it; once, however often its event comes. The gauge is told by the recorder, after the commit.
    /// </summary>
    internal static Task RecordAsync(
        NpgsqlTransaction transaction, Guid orderId, string messageId, string label, string reason, string intent, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            insert into agent_handoffs (message, label, reason, intent)
            select id, @Label, @Reason, @Intent from order_messages where order_id = @OrderId and message_id = @MessageId
            on conflict (message) do nothing
            """,
            new { OrderId = orderId, MessageId = messageId, Label = label, Reason = reason, Intent = intent },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>True when the recorded message (<paramref name="orderId"/>, <paramref name="messageId"/>) was handed to a person.</summary>
    internal static Task<bool> ExistAsync(NpgsqlTransaction transaction, Guid orderId, string messageId, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            select exists (select 1 from agent_handoffs h join order_messages m on m.id = h.message
                           where m.order_id = @OrderId and m.message_id = @MessageId)
            """,
            new { OrderId = orderId, MessageId = messageId },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>Says that hand-offs were recorded, for the gauge to count them a moment later.</summary>
    internal void Changed() => gauge.Changed();

    /// <summary>
    /// Hand-offs not marked done, oldest first (then by message id), after the hand-off of message
    /// <paramref name="after"/> when given (the last of the page before, done since or not); null when that message was
    /// never handed off.
    /// </summary>
    public async Task<IReadOnlyList<HandoffView>?> ListAsync(int limit, Guid? after, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // A hand-off marked done is kept, so the message a page ended with still says where the next one starts.
        var afterAt = after is { } afterId
            ? await connection.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(
                "select handed_at from agent_handoffs where message = @Id", new { Id = afterId }, cancellationToken: cancellationToken))
            : null;
        if (after is not null && afterAt is null)
        {
            return null;
        }

        return (await connection.QueryAsync<HandoffView>(new CommandDefinition(
            """
            select h.message as MessageId, m.order_id as OrderId, o.order_ref as OrderRef, m.from_address as "From", m.subject as Subject,
                   m.received_at as ReceivedAt, h.label as Label, h.reason as Reason, h.intent as Intent,
                   exists (select 1 from agent_replies r where r.order_id = m.order_id and r.message_id = m.message_id) as Answered,
                   h.handed_at as HandedAt
            from agent_handoffs h
            join order_messages m on m.id = h.message
            join orders o on o.id = m.order_id
            where h.done_at is null and (not @Paged or (h.handed_at, h.message) > (@AfterAt, @AfterId))
            order by h.handed_at, h.message limit @Limit
            """,
            new { Limit = limit, Paged = after is not null, AfterAt = afterAt ?? DateTime.UnixEpoch, AfterId = after ?? Guid.Empty },
            cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>
    /// Marks the hand-off of message <paramref name="messageId"/> done: it leaves the list, and is kept. True when it is
    /// done, now or before; false when the message was never handed off.
    /// </summary>
    public async Task<bool> MarkDoneAsync(Guid messageId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var marked = await connection.ExecuteAsync(new CommandDefinition(
            "update agent_handoffs set done_at = now() where message = @Id and done_at is null", new { Id = messageId }, cancellationToken: cancellationToken));
        if (marked == 1)
        {
            gauge.Changed();
            return true;
        }

        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from agent_handoffs where message = @Id)", new { Id = messageId }, cancellationToken: cancellationToken));
    }
}
