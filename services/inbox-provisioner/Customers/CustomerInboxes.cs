using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.InboxProvisioner.Steps.Inbox;

namespace OrdersMail.InboxProvisioner.Customers;

/// <summary>The <c>customer_inboxes</c> table: every change to one customer's AgentMail resources goes through a lease (<see cref="CustomerLease"/>).</summary>
public sealed class CustomerInboxes(NpgsqlDataSource dataSource, IOptions<ProvisioningOptions> options)
{
    /// <summary>
    /// Takes the customer's lease, held until it is disposed. Concurrent orders of one customer (two replicas, or two
    /// sagas on one) take turns, so the last to stamp the inbox has seen every order recorded before it: the inbox
    /// ends with the newest order's reference, whatever order events came in. The wait for a turn is bounded by
    /// <see cref="ProvisioningOptions.LockTimeout"/>: a <see cref="CustomerLeaseBusyException"/> then says so, and a step
    /// is deferred. No connection is held between the lease's statements, so none is held while the step calls AgentMail.
    /// </summary>
    public Task<CustomerLease> LeaseAsync(string userId, CancellationToken cancellationToken) => AcquireAsync(userId, null, cancellationToken);

    /// <summary>
    /// Takes the lease of <paramref name="order"/>'s customer as <see cref="LeaseAsync(string, CancellationToken)"/> does,
    /// and records the order as their newest (unless a newer one is known) with the take, in the same round trip: the
    /// lease's <see cref="CustomerLease.Row"/> is the row as recorded. An order is only ever recorded under the lease.
    /// </summary>
    public Task<CustomerLease> LeaseRecordingAsync(EnsureCustomerInbox order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        return AcquireAsync(order.UserId, order, cancellationToken);
    }

    private Task<CustomerLease> AcquireAsync(string userId, EnsureCustomerInbox? recording, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        return CustomerLease.AcquireAsync(dataSource, userId, recording, limits.LeaseLength, limits.LockTimeout, cancellationToken);
    }
}
