using Dapper;
using Npgsql;
using OrdersMail.Contracts.Outbound;
using OrdersMail.OrdersApi.Agent;

namespace OrdersMail.OrdersApi.Handoffs;

/// <summary>
/// Hands a person the message an agent reply answered once the reply bounced, drew a complaint or failed: the customer's
/// question went unanswered, and only the email's state on the timeline said so. The message is labelled
/// <see cref="AgentLabels.NeedsReview"/> and handed off (<see cref="HandoffReasons.ReplyUndeliverable"/>); a hand-off it had
/// already, done or not, becomes this one, as what it promised (an answer, a person's action) did not reach the customer.
/// </summary>
public sealed class UndeliverableReplies(NpgsqlDataSource dataSource, AgentHandoffs handoffs)
{
    // The chain of copies ops sent again stops here, as SentAgainChain's does.
    private const int MaxCopies = 32;

    /// <summary>
    /// Hands off the message the email <paramref name="emailId"/> answered, when it is an agent reply (or a copy of one
    /// sent again) and <paramref name="state"/> says it will not reach the customer. Changes nothing when the event
    /// comes again: the hand-off is then this one already, and the label is not set again, so the customer's removal of it sticks.
    /// </summary>
    public async Task HandOffAsync(Guid emailId, DeliveryState state, CancellationToken cancellationToken)
    {
        if (state is not (DeliveryState.Bounced or DeliveryState.Complained or DeliveryState.Failed))
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var handed = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            with recursive copied (email_id, sent_again_of, depth) as (
                select @EmailId, (select sent_again_of from order_emails where email_id = @EmailId), 0
                union all
                select e.email_id, e.sent_again_of, copied.depth + 1
                from copied join order_emails e on e.email_id = copied.sent_again_of
                where copied.depth < @MaxCopies
            ),
            answered as (
                select m.id, r.intent
                from agent_replies r
                join order_messages m on m.order_id = r.order_id and m.message_id = r.message_id and m.direction = 'inbound'
                where r.email_id in (select email_id from copied)
            ),
            handed as (
                insert into agent_handoffs as h (message, label, reason, intent)
                select id, @Label, @Reason, intent from answered
                on conflict (message) do update set label = excluded.label, reason = excluded.reason, handed_at = now(), done_at = null
                    where h.reason <> excluded.reason
                returning h.message
            ),
            labelled as (
                update order_messages m set labels = array_append(m.labels, @Label)
                from handed where m.id = handed.message and not (@Label = any (m.labels))
            )
            select count(*) from handed
            """,
            new { EmailId = emailId, MaxCopies, Label = AgentLabels.NeedsReview, Reason = HandoffReasons.ReplyUndeliverable },
            cancellationToken: cancellationToken));
        if (handed > 0)
        {
            handoffs.Changed();
        }
    }
}
