using Dapper;
using OrdersMail.OrdersApi.Conversation;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.OrdersApi.Tests.Timeline;

/// <summary>A spammed inbox as orders-api keeps it, written straight to its tables: thousands through the broker would take minutes.</summary>
internal static class ConversationSpam
{
    /// <summary>
    /// Adds <paramref name="count"/> messages from a stranger to the order, a second apart, each answered by the agent and
    /// the answer delivered, each with <paramref name="body"/> ("Spam" when not given); their ids, oldest first.
    /// </summary>
    public static async Task<List<Guid>> AddAsync(TestInfrastructure infrastructure, Guid orderId, int count, string body = "Spam")
    {
        await using var connection = await infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync("set search_path to orders");
        return (await connection.QueryAsync<Guid>(
            """
            with spam as materialized (
                select n, '<spam-' || n || '@spam.example>' as message_id, gen_random_uuid() as email_id,
                       now() - interval '1 hour' + n * interval '1 second' as at
                from generate_series(1, @Count) n),
            messages as (
                insert into order_messages (order_id, message_id, direction, from_address, subject, preview, body, sender_verified, received_at)
                select @OrderId, message_id, 'inbound', 'spam@spam.example', 'Spam ' || n, @Preview, @Body, false, at from spam
                returning id, received_at),
            replies as (
                insert into agent_replies (order_id, message_id, email_id, file_name, intent, composer, claimed_at, written_at)
                select @OrderId, message_id, email_id, email_id || '.json', 'other', 'rules', at, at from spam),
            emails as (
                insert into order_emails (email_id, order_id, kind, state, state_rank, queued_at, updated_at, recorded_at)
                select email_id, @OrderId, 'agent_reply', 'delivered', 4, at, at, at from spam)
            select id from messages order by received_at, id
            """,
            new { OrderId = orderId, Count = count, Body = body, Preview = MessagePreview.Of(body) })).AsList();
    }
}
