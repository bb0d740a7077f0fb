using Dapper;
using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboundRouter.Recovery;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.InboundRouter.Secrets;

namespace OrdersMail.InboundRouter.Learning;

/// <summary>
/// Learns an inbox's webhook (its secret is read from AgentMail when first needed), whose inbox it is, and the order
/// reference it was stamped with. An InboxReady older than what is known changes neither the inbox's customer nor its
/// webhook, and one naming a retired webhook changes no webhook. The writes are idempotent facts (the order's reference
/// as <see cref="OrderCreatedConsumer"/> learns it; the inbox's customer and webhook only move to a newer InboxReady's:
/// an address AgentMail freed and gave again is another customer's inbox), so a redelivery or copy changes nothing and
/// needs no <c>processed_messages</c> record: they are one command, which PostgreSQL runs as one implicit transaction in
/// one round trip.
/// An InboxReady that moves the inbox from another webhook is a replacement no <see cref="InboxWebhookReplaced"/> may
/// ever announce (the provisioner's reconcile saved the new webhook and died before announcing it, or an order's step
/// made one for a customer whose webhook was gone): the old webhook is retired and a look for the mail received while
/// it fed nothing is asked for, as <see cref="InboxWebhookReplacedConsumer"/> does, only when the webhook moves, so a
/// redelivery asks for no second look.
/// </summary>
public sealed class InboxReadyConsumer(
    NpgsqlDataSource dataSource, InboxSecrets secrets, InboxOrderRefs orderRefs, MissedMailSignal missedMail) : IConsumer<InboxReady>
{
    /// <summary>The consumer's queue.</summary>
    public const string Name = "inbound-router-inbox-ready";

    // The webhook the inbox moves from is locked when it is retired and the look asked for, so the move below is the one
    // they were for. The one row the command returns, true, says a look was asked for.
    private const string LearnSql =
        $"""
        insert into order_refs (order_ref, order_id, user_id, trace_parent) values (@OrderRef, @OrderId, @UserId, @TraceParent)
        on conflict (order_ref) do update set trace_parent = coalesce(order_refs.trace_parent, excluded.trace_parent);
        insert into inbox_owners (inbox_id, user_id, as_of) values (@InboxId, @UserId, @ReadyAt)
        on conflict (inbox_id) do update set user_id = excluded.user_id, as_of = excluded.as_of
        where inbox_owners.as_of is null or inbox_owners.as_of < excluded.as_of;
        with moving as (
            select w.webhook_id from inbox_webhooks w
            where w.inbox_id = @InboxId and w.webhook_id <> @WebhookId and w.as_of < @ReadyAt
              and not exists (select 1 from retired_webhooks where webhook_id = @WebhookId)
            for update
        ), retired as (
            insert into retired_webhooks (webhook_id) select webhook_id from moving on conflict do nothing
        )
        insert into missed_mail_lookups (inbox_id) select @InboxId from moving
        {MissedMailLookups.AskedAgainSql}
        returning true;
        insert into inbox_webhooks (inbox_id, webhook_id, as_of)
        select @InboxId, @WebhookId, @ReadyAt
        where not exists (select 1 from retired_webhooks where webhook_id = @WebhookId)
        on conflict (inbox_id) do update set webhook_id = excluded.webhook_id, secret = null, as_of = excluded.as_of, updated_at = now()
        where inbox_webhooks.webhook_id <> excluded.webhook_id and inbox_webhooks.as_of < excluded.as_of
        """;

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<InboxReady> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ready = context.Message;
        bool lookAskedFor;
        await using (var connection = await dataSource.OpenConnectionAsync(context.CancellationToken))
        {
            lookAskedFor = await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(
                LearnSql,
                new { ready.OrderRef, ready.OrderId, ready.UserId, ready.InboxId, ready.WebhookId, ready.ReadyAt, TraceParent = TraceParents.Current() },
                cancellationToken: context.CancellationToken)) ?? false;
        }

        secrets.Forget(ready.InboxId);

        // The provisioner re-stamps the inbox's order_ref before it says InboxReady: routing reads it again.
        orderRefs.Forget(ready.InboxId);
        if (lookAskedFor)
        {
            missedMail.Notify();
        }
    }
}
