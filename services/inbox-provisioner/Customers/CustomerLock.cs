using Dapper;
using Npgsql;
using OrdersMail.InboxProvisioner.Steps.Inbox;

namespace OrdersMail.InboxProvisioner.Customers;

/// <summary>One customer's row, locked for the length of a step's AgentMail calls; disposing without committing rolls back.</summary>
public sealed class CustomerLock : IAsyncDisposable
{
    private const string Columns =
        "user_id as UserId, inbox_id as InboxId, inbox_address as InboxAddress, webhook_id as WebhookId, " +
        "webhook_generation as WebhookGeneration, newest_order_ref as NewestOrderRef";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly string _userId;

    internal CustomerLock(NpgsqlConnection connection, NpgsqlTransaction transaction, string userId)
    {
        _connection = connection;
        _transaction = transaction;
        _userId = userId;
    }

    /// <summary>Records the order as the customer's newest unless a newer one is known (ties go to the larger order id), and returns the row.</summary>
    public async Task<CustomerInbox> RecordOrderAsync(EnsureCustomerInbox order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        await ExecuteAsync(
            """
            insert into customer_inboxes as c (user_id, newest_order_id, newest_order_ref, newest_placed_at)
            values (@UserId, @OrderId, @OrderRef, @PlacedAt)
            on conflict (user_id) do update
            set newest_order_id = excluded.newest_order_id, newest_order_ref = excluded.newest_order_ref,
                newest_placed_at = excluded.newest_placed_at, updated_at = now()
            where (excluded.newest_placed_at, excluded.newest_order_id) > (c.newest_placed_at, c.newest_order_id)
            """,
            new { order.UserId, order.OrderId, order.OrderRef, order.PlacedAt },
            cancellationToken);
        return (await ReadAsync(cancellationToken))!;
    }

    /// <summary>The customer's row, or null when no order of theirs was recorded.</summary>
    public Task<CustomerInbox?> ReadAsync(CancellationToken cancellationToken) =>
        _connection.QuerySingleOrDefaultAsync<CustomerInbox>(new CommandDefinition(
            $"select {Columns} from customer_inboxes where user_id = @UserId",
            new { UserId = _userId },
            _transaction,
            cancellationToken: cancellationToken));

    /// <summary>The customer's row when they own <paramref name="inboxId"/>; null when they do not (any more: torn down meanwhile).</summary>
    public async Task<CustomerInbox?> ReadOwningAsync(string inboxId, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(cancellationToken);
        return row?.InboxId is { } owned && string.Equals(owned, inboxId, StringComparison.OrdinalIgnoreCase) ? row : null;
    }

    /// <summary>Remembers the customer's inbox.</summary>
    public Task SaveInboxAsync(string inboxId, string inboxAddress, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "update customer_inboxes set inbox_id = @InboxId, inbox_address = @InboxAddress, updated_at = now() where user_id = @UserId",
            new { UserId = _userId, InboxId = inboxId, InboxAddress = inboxAddress },
            cancellationToken);

    /// <summary>Remembers the inbox's webhook.</summary>
    public Task SaveWebhookAsync(string webhookId, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "update customer_inboxes set webhook_id = @WebhookId, updated_at = now() where user_id = @UserId",
            new { UserId = _userId, WebhookId = webhookId },
            cancellationToken);

    /// <summary>Forgets a deleted webhook; the next one gets a new generation, hence a new client_id.</summary>
    public Task ForgetWebhookAsync(CancellationToken cancellationToken) =>
        ExecuteAsync(
            "update customer_inboxes set webhook_id = null, webhook_generation = webhook_generation + 1, updated_at = now() where user_id = @UserId",
            new { UserId = _userId },
            cancellationToken);

    /// <summary>Forgets the customer altogether (after their inbox was deleted).</summary>
    public Task ForgetAsync(CancellationToken cancellationToken) =>
        ExecuteAsync("delete from customer_inboxes where user_id = @UserId", new { UserId = _userId }, cancellationToken);

    /// <summary>Makes the changes stick and releases the lock.</summary>
    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    internal async Task AcquireAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // lock_timeout bounds advisory lock waits too; set for this transaction only.
        await _connection.ExecuteAsync(new CommandDefinition(
            "select set_config('lock_timeout', @Timeout, true)",
            new { Timeout = $"{(long)timeout.TotalMilliseconds}ms" },
            _transaction,
            cancellationToken: cancellationToken));
        try
        {
            await ExecuteAsync("select pg_advisory_xact_lock(hashtextextended('customer:' || @UserId, 0))", new { UserId = _userId }, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw new TimeoutException($"Customer {_userId}'s lock was held by another step for longer than {timeout}.", e);
        }
    }

    private Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        _connection.ExecuteAsync(new CommandDefinition(sql, parameters, _transaction, cancellationToken: cancellationToken));
}
