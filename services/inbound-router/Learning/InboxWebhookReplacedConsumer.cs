using Dapper;
using MassTransit;
using Npgsql;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboundRouter.Recovery;
using OrdersMail.InboundRouter.Secrets;

namespace OrdersMail.InboundRouter.Learning;

/// <summary>
/// A webhook was replaced: the old id is retired for good, and the inbox is fed by the new one (unless a newer fact says
/// otherwise). Retiring is for good and the webhook only moves to a newer, unretired one, so a redelivery or copy changes
/// nothing and needs no <c>processed_messages</c> record: the statements are one command, one implicit transaction.
/// The same command asks for a look for the mail the inbox received while no webhook fed it (<see cref="MissedMailPump"/>,
/// once per message however often it runs): AgentMail is read by the pump, outside this consume, so an AgentMail
/// outage delays that look instead of failing the message.
/// </summary>
public sealed class InboxWebhookReplacedConsumer(NpgsqlDataSource dataSource, InboxSecrets secrets, MissedMailSignal missedMail) : IConsumer<InboxWebhookReplaced>
{
    /// <summary>The consumer's queue.</summary>
    public const string Name = "inbound-router-inbox-webhook-replaced";

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<InboxWebhookReplaced> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var replaced = context.Message;
        await using (var connection = await dataSource.OpenConnectionAsync(context.CancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                MissedMailLookups.RequestSql +
                """
                insert into retired_webhooks (webhook_id) select @ReplacedWebhookId where @ReplacedWebhookId is not null on conflict do nothing;
                insert into inbox_webhooks (inbox_id, webhook_id, as_of)
                select @InboxId, @WebhookId, @ReplacedAt
                where not exists (select 1 from retired_webhooks where webhook_id = @WebhookId)
                on conflict (inbox_id) do update set webhook_id = excluded.webhook_id, secret = null, as_of = excluded.as_of, updated_at = now()
                where inbox_webhooks.webhook_id <> excluded.webhook_id
                  and (inbox_webhooks.as_of < excluded.as_of or inbox_webhooks.webhook_id in (select webhook_id from retired_webhooks))
                """,
                new { replaced.InboxId, replaced.WebhookId, replaced.ReplacedWebhookId, replaced.ReplacedAt },
                cancellationToken: context.CancellationToken));
        }

        secrets.Forget(replaced.InboxId);
        missedMail.Notify();
    }
}
