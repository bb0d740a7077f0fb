using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.Contracts.Inbound;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// Whether the agent has answered enough of one sender's messages on one order (<see cref="AnswerLimitOptions"/>),
/// judged in the recording transaction by the reply claims in <c>agent_replies</c>, on the database's clock.
/// </summary>
internal sealed class AnswerLimit(IOptions<AnswerLimitOptions> options)
{
    private static readonly string LockSql = $"""
        select pg_advisory_xact_lock(hashtextextended('agent-answers ' || @OrderId::text || ' ' || {Key("lower(@Sender)")}, 0))
        """;

    private static readonly string ReachedSql = $"""
        select not exists (select 1 from agent_replies where order_id = @OrderId and message_id = @MessageId)
            and (select count(*) from agent_replies
                 where order_id = @OrderId and {Key("sender")} = {Key("lower(@Sender)")} and claimed_at > now() - @Window) >= @MaxAnswers
        """;

    /// <summary>
    /// True when <paramref name="message"/>, from <paramref name="sender"/>, has no claim yet and the sender's claims on
    /// the order within the window already number the most allowed. Takes a lock on the (order, sender) pair that the
    /// transaction holds until it commits, so its claim counts for the next message: two messages from the same sender
    /// recorded at once (two consumers, two replicas) cannot both be the last one answered.
    /// </summary>
    public async Task<bool> IsReachedAsync(NpgsqlTransaction transaction, InboundMessageRouted message, string sender, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(message);
        var connection = transaction.Connection!;
        await connection.ExecuteAsync(new CommandDefinition(
            LockSql,
            new { message.OrderId, Sender = sender },
            transaction,
            cancellationToken: cancellationToken));

        // A statement of its own, after the lock: read committed reads what committed before each statement starts, so a
        // claim committed while this transaction waited for the lock is counted.
        var limit = options.Value;
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            ReachedSql,
            new { message.OrderId, message.MessageId, Sender = sender, limit.Window, limit.MaxAnswers },
            transaction,
            cancellationToken: cancellationToken));
    }

    // An address as the per-sender count knows it: with the local part's +tag left out, so x+1@gmail.com, x+2@gmail.com
    // and x@gmail.com are one sender. Worked out in SQL, for the claims too, which keep the whole address they answer.
    private static string Key(string address) => $@"regexp_replace({address}, '^([^@+]*)\+[^@]*@', '\1@')";
}
