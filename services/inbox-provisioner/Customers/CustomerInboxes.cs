using Microsoft.Extensions.Options;
using Npgsql;

namespace OrdersMail.InboxProvisioner.Customers;

/// <summary>The <c>customer_inboxes</c> table: every change to one customer's AgentMail resources goes through <see cref="LockAsync"/>.</summary>
public sealed class CustomerInboxes(NpgsqlDataSource dataSource, IOptions<ProvisioningOptions> options)
{
    /// <summary>
    /// Opens a transaction holding the customer's lock until it is committed or disposed. Concurrent orders of
    /// one customer (two replicas, or two sagas on one) take turns, so the last to stamp the inbox has seen every
    /// order recorded before it: the inbox ends with the newest order's reference, whatever order events came in.
    /// The wait for the lock is bounded by <see cref="ProvisioningOptions.LockTimeout"/>: a <see cref="TimeoutException"/>
    /// then says so, and the message is retried.
    /// </summary>
    public async Task<CustomerLock> LockAsync(string userId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var locked = new CustomerLock(connection, transaction, userId);
            await locked.AcquireAsync(options.Value.LockTimeout, cancellationToken);
            return locked;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
