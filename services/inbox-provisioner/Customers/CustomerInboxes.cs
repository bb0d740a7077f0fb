using Microsoft.Extensions.Options;
using Npgsql;

namespace OrdersMail.InboxProvisioner.Customers;

/// <summary>The <c>customer_inboxes</c> table: every change to one customer's AgentMail resources goes through <see cref="LeaseAsync"/>.</summary>
public sealed class CustomerInboxes(NpgsqlDataSource dataSource, IOptions<ProvisioningOptions> options)
{
    /// <summary>
    /// Takes the customer's lease, held until it is disposed. Concurrent orders of one customer (two replicas, or two
    /// sagas on one) take turns, so the last to stamp the inbox has seen every order recorded before it: the inbox
    /// ends with the newest order's reference, whatever order events came in. The wait for a turn is bounded by
    /// <see cref="ProvisioningOptions.LockTimeout"/>: a <see cref="TimeoutException"/> then says so, and the message is
    /// retried. No connection is held between the lease's statements, so none is held while the step calls AgentMail.
    /// </summary>
    public Task<CustomerLease> LeaseAsync(string userId, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        return CustomerLease.AcquireAsync(dataSource, userId, limits.LeaseLength, limits.LockTimeout, cancellationToken);
    }
}
