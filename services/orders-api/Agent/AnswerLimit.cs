using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.Contracts.Inbound;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Whether the agent has answered enough of one sender's messages on one order, or of all the order's unverified
/// senders' together (<see cref="AnswerLimitOptions"/>), judged in the recording transaction by the reply claims in
/// <c>agent_replies</c>, on the database's clock.
/// </summary>
internal sealed class AnswerLimit(IOptions<AnswerLimitOptions> options)
{
    private static readonly string LockSql = $"""
        select pg_advisory_xact_lock(hashtextextended('agent-answers ' || @OrderId::text || ' ' || {Key("lower(@Sender)")}, 0))
        """;

    private static readonly string ReachedSql = $"""
        select case
            when exists (select 1 from agent_replies where order_id = @OrderId and message_id = @MessageId) then null
            when (select count(*) from agent_replies
                  where order_id = @OrderId and {Key("sender")} = {Key("lower(@Sender)")} and claimed_at > now() - @Window) >= @MaxAnswers
                then 'sender'
            when not @Verified and (select count(*) from agent_replies r
                                    join order_messages m on m.order_id = r.order_id and m.message_id = r.message_id
                                    where r.order_id = @OrderId and not m.sender_verified and r.claimed_at > now() - @Window) >= @MaxStrangerAnswers
                then 'strangers'
        end
        """;

    /// <summary>
    /// Why <paramref name="message"/>, from <paramref name="sender"/>, is left unanswered when it has no claim yet:
    /// <see cref="NoAnswer.TooManyAnswers"/> when the sender's claims on the order within the window already number the
    /// most allowed, <see cref="NoAnswer.TooManyStrangerAnswers"/> when the sender is not the order's address
    /// (<paramref name="verified"/> false) and the claims of every such sender on the order do; null when it may be
    /// answered. Takes a lock on the (order, sender) pair, and for an unverified sender one on the order's strangers
    /// first, that the transaction holds until it commits, so its claim counts for the next message: two messages
    /// recorded at once (two consumers, two replicas) cannot both be the last one answered.
    /// </summary>
    public async Task<NoAnswer?> ReachedAsync(
        NpgsqlTransaction transaction, InboundMessageRouted message, string sender, bool verified, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(message);
        var connection = transaction.Connection!;
        if (!verified)
        {
            // Taken before the sender's, by every unverified sender alike, so no two transactions wait for each other's.
            await connection.ExecuteAsync(new CommandDefinition(
                "select pg_advisory_xact_lock(hashtextextended('agent-stranger-answers ' || @OrderId::text, 0))",
                new { message.OrderId },
                transaction,
                cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(LockSql, new { message.OrderId, Sender = sender }, transaction, cancellationToken: cancellationToken));

        // A statement of its own, after the locks: read committed reads what committed before each statement starts, so a
        // claim committed while this transaction waited for them is counted.
        var limit = options.Value;
        var reached = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            ReachedSql,
            new { message.OrderId, message.MessageId, Sender = sender, Verified = verified, limit.Window, limit.MaxAnswers, limit.MaxStrangerAnswers },
            transaction,
            cancellationToken: cancellationToken));
        return reached switch
        {
            "sender" => NoAnswer.TooManyAnswers,
            "strangers" => NoAnswer.TooManyStrangerAnswers,
            _ => null,
        };
    }

    // An address as the per-sender count knows it: with the local part's +tag left out, so x+1@gmail.com, x+2@gmail.com
    // and x@gmail.com are one sender. Worked out in SQL, for the claims too, which keep the whole address they answer.
    private static string Key(string address) => $@"regexp_replace({address}, '^([^@+]*)\+[^@]*@', '\1@')";
}
