using Dapper;
using Npgsql;
using OrdersMail.InboundRouter.Recovery;

namespace OrdersMail.InboundRouter.Secrets;

/// <summary>The <c>inbox_webhooks</c> table: each inbox's current webhook and, once read from AgentMail, its secret.</summary>
public sealed class InboxWebhookStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The inbox's current webhook and secret (null until read), and whether that webhook has been retired meanwhile
    /// (never to be trusted again, whatever row still names it); null when the inbox is unknown.
    /// </summary>
    public async Task<(string WebhookId, string? Secret, bool Retired)?> FindAsync(string inboxId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(
            """
            select w.webhook_id as WebhookId, w.secret as Secret, exists (select 1 from retired_webhooks r where r.webhook_id = w.webhook_id) as Retired
            from inbox_webhooks w where w.inbox_id = @InboxId
            """,
            new { InboxId = inboxId },
            cancellationToken: cancellationToken));
        return row is null ? null : (row.WebhookId, row.Secret, row.Retired);
    }

    /// <summary>Stores the secret read for <paramref name="webhookId"/>, unless the inbox has moved on to another webhook meanwhile.</summary>
    public async Task SaveSecretAsync(string inboxId, string webhookId, string secret, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update inbox_webhooks set secret = @Secret, updated_at = now() where inbox_id = @InboxId and webhook_id = @WebhookId",
            new { InboxId = inboxId, WebhookId = webhookId, Secret = secret },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Records a webhook AgentMail named for an inbox the bus had not told about yet (an event came first), unless the bus
    /// has told meanwhile or the webhook was retired.
    /// </summary>
    public async Task AddDiscoveredAsync(string inboxId, string webhookId, string secret, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into inbox_webhooks (inbox_id, webhook_id, secret, as_of)
            select @InboxId, @WebhookId, @Secret, now()
            where not exists (select 1 from retired_webhooks where webhook_id = @WebhookId)
            on conflict (inbox_id) do nothing
            """,
            new { InboxId = inboxId, WebhookId = webhookId, Secret = secret },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Moves the inbox from <paramref name="goneWebhookId"/>, which AgentMail no longer has for it, to the webhook
    /// AgentMail now names for it, whose replacement no bus message announced (lost, or made by hand at AgentMail). The
    /// gone webhook is retired, and a look for the mail the inbox received meanwhile is asked for in the same
    /// transaction. A webhook AgentMail names again after it seemed gone (an answer that flapped) is the inbox's still,
    /// never retired: a retired webhook is never trusted again. Nothing moves when the inbox has moved on already or the webhook was retired; true when it moved.
    /// </summary>
    public async Task<bool> ReplaceGoneAsync(string inboxId, string goneWebhookId, string webhookId, string secret, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var parameters = new { InboxId = inboxId, Gone = goneWebhookId, WebhookId = webhookId, Secret = secret };
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into retired_webhooks (webhook_id) select @Gone where @Gone <> @WebhookId on conflict do nothing", parameters, transaction, cancellationToken: cancellationToken));
        var moved = await connection.ExecuteAsync(new CommandDefinition(
            """
            update inbox_webhooks set webhook_id = @WebhookId, secret = @Secret, as_of = now(), updated_at = now()
            where inbox_id = @InboxId and webhook_id = @Gone and @WebhookId <> @Gone
              and not exists (select 1 from retired_webhooks where webhook_id = @WebhookId)
            """,
            parameters,
            transaction,
            cancellationToken: cancellationToken)) == 1;
        if (moved)
        {
            await connection.ExecuteAsync(new CommandDefinition(MissedMailLookups.RequestSql, parameters, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    private sealed record WebhookRow(string WebhookId, string? Secret, bool Retired);
}
