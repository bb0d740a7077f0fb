using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Delivery;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>
/// Applies delivery-tracker's events to <c>order_emails</c>. Events arrive in any order and on separate
/// queues, so each one fills the descriptive columns it carries (the first value stays) and replaces the state
/// only with a higher-ranked one (<see cref="DeliveryStates.Rank"/>): an upsert that converges to the same row
/// whatever the arrival order, and that changes nothing when an event comes again. So its consumers keep no
/// <c>processed_messages</c> record: the upsert is one statement, committed on its own.
/// </summary>
public static class OrderEmails
{
    /// <summary>
    /// Applies <paramref name="update"/>; the reference of the email's order, or null when neither the order nor the
    /// email is one of ours.
    /// </summary>
    public static async Task<string?> ApplyAsync(NpgsqlConnection connection, OrderEmailUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(update);

        // The email's order: the one the event names if we have it, else the one an earlier event recorded.
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            with target as (
                select id as order_id from orders where id = @OrderId::uuid
                union all
                select order_id from order_emails where email_id = @EmailId
                limit 1
            )
            insert into order_emails as e (email_id, order_id, kind, subject, recipients, provider, state, state_rank, detail, queued_at, updated_at, sent_again_of)
            select @EmailId, target.order_id, @Kind, @Subject, @Recipients::text[], @Provider, @State, @StateRank, @Detail, @QueuedAt::timestamptz, @At, @SentAgainOf
            from target
            on conflict (email_id) do update set
                kind       = coalesce(e.kind, excluded.kind),
                subject    = coalesce(e.subject, excluded.subject),
                recipients = coalesce(e.recipients, excluded.recipients),
                provider   = coalesce(e.provider, excluded.provider),
                queued_at  = coalesce(e.queued_at, excluded.queued_at),
                sent_again_of = coalesce(e.sent_again_of, excluded.sent_again_of),
                state      = case when excluded.state_rank > e.state_rank then excluded.state else e.state end,
                detail     = case when excluded.state_rank > e.state_rank then excluded.detail else e.detail end,
                state_rank = greatest(e.state_rank, excluded.state_rank),
                updated_at = greatest(e.updated_at, excluded.updated_at)
            returning (select o.order_ref from orders o where o.id = e.order_id)
            """,
            new
            {
                update.EmailId,
                update.OrderId,
                update.Kind,
                update.Subject,
                Recipients = update.Recipients?.ToArray(),
                Provider = update.Provider is { } provider ? EmailProviders.Name(provider) : null,
                State = DeliveryStates.Name(update.State),
                StateRank = DeliveryStates.Rank(update.State),
                update.Detail,
                QueuedAt = update.QueuedAt?.UtcDateTime,
                update.SentAgainOf,
                At = update.At.UtcDateTime,
            },
            cancellationToken: cancellationToken));
    }
}
