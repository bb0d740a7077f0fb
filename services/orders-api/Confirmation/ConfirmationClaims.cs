using Dapper;
using Npgsql;
using OrdersMail.OrdersApi.Sweeping;

namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>
/// Claims confirmations in <c>order_confirmations</c>, each in a short transaction committed before its file is
/// written (no lock is held while writing), and records the file once written. A claim is an insert that does
/// nothing on conflict: only the caller that inserted the row writes the file, or, once the sweeper gave the claim up
/// unwritten, the caller that takes it back, or the sweeper again once ops put it back.
/// </summary>
public sealed class ConfirmationClaims(NpgsqlDataSource dataSource)
{
    private static readonly UnwrittenClaims Claims = new("order_confirmations", "order_id", "@OrderId");

    /// <summary>Why a confirmation went out with the Reply-To it has.</summary>
    public const string InboxReady = "inbox_ready";

    /// <summary>Provisioning failed: the default Reply-To.</summary>
    public const string ProvisioningFailed = "provisioning_failed";

    /// <summary>No inbox within the wait: the default Reply-To.</summary>
    public const string InboxTimeout = "inbox_timeout";

    /// <summary>
    /// Claims the confirmation of the customer's order inside <paramref name="transaction"/> (the consumer's, which also
    /// updates the order's view); null when it was claimed before or the order is not theirs. The caller writes the
    /// file once the transaction has committed. A claim the sweeper gave up unwritten is taken back instead, as it was
    /// claimed (its Reply-To and reason) and with the sweeper's attempts anew, as a redelivered message writes an agent
    /// reply whatever the sweeper did: the event is a new chance at the confirmation the order still lacks.
    /// </summary>
    public static async Task<ConfirmationOrder?> ClaimAsync(
        NpgsqlTransaction transaction, Guid orderId, string userId, string replyTo, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var claimed = await transaction.Connection!.QueryAsync<Guid>(new CommandDefinition(
            """
            insert into order_confirmations (order_id, email_id, reply_to, reason)
            select id, @EmailId, @ReplyTo, @Reason from orders where id = @OrderId and user_id = @UserId
            on conflict (order_id) do update set claimed_at = now(), attempts = 0, given_up_at = null
                where order_confirmations.written_at is null and order_confirmations.given_up_at is not null
            returning order_id
            """,
            new { OrderId = orderId, UserId = userId, EmailId = ConfirmationEmailIds.For(orderId), ReplyTo = replyTo, Reason = reason },
            transaction,
            cancellationToken: cancellationToken));
        return (await LoadAsync(transaction, [.. claimed], cancellationToken)).SingleOrDefault();
    }

    /// <summary>
    /// Claims the confirmations of orders placed after <paramref name="placedAfter"/> (null: any) and within
    /// <paramref name="lookBack"/> that have none <paramref name="wait"/> after they were placed: still waiting for
    /// their inbox, with <paramref name="defaultReplyTo"/>; or whose <c>InboxReady</c> or <c>InboxProvisioningFailed</c>
    /// reached the order but never the confirmation (possible before both were applied in one transaction, when the
    /// confirmation had a queue of its own and its message dead-lettered under load), with the inbox if there is one.
    /// At most <paramref name="batchSize"/>, skipping orders another transaction holds.
    /// </summary>
    public async Task<OverdueClaims> ClaimOverdueAsync(
        TimeSpan wait, DateTime? placedAfter, TimeSpan lookBack, string defaultReplyTo, int batchSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // now() is the transaction's start, so the bound is the same instant the look below uses.
        var overdueBefore = await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition(
            "select now() - @Wait", new { Wait = wait }, transaction, cancellationToken: cancellationToken));
        var overdue = (await connection.QueryAsync<(Guid Id, string? ReplyAddress, string State)>(new CommandDefinition(
            """
            select o.id, o.reply_address, o.provisioning_state from orders o
            where o.created_at < @OverdueBefore and o.created_at > greatest(now() - @LookBack, @PlacedAfter::timestamptz)
              and not exists (select 1 from order_confirmations c where c.order_id = o.id)
            order by o.created_at
            limit @BatchSize
            for update of o skip locked
            """,
            new { OverdueBefore = overdueBefore, LookBack = lookBack, PlacedAfter = placedAfter, BatchSize = batchSize },
            transaction,
            cancellationToken: cancellationToken))).ToArray();
        var claimed = await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            insert into order_confirmations (order_id, email_id, reply_to, reason)
            select c.order_id, c.email_id, coalesce(c.reply_to, @DefaultReplyTo),
                   case c.state when 'ready' then @Ready when 'failed' then @Failed else @Timeout end
            from unnest(@OrderIds, @EmailIds, @ReplyTos, @States) as c (order_id, email_id, reply_to, state)
            on conflict (order_id) do nothing
            returning order_id
            """,
            new
            {
                OrderIds = overdue.Select(o => o.Id).ToArray(),
                EmailIds = overdue.Select(o => ConfirmationEmailIds.For(o.Id)).ToArray(),
                ReplyTos = overdue.Select(o => o.State == "ready" ? o.ReplyAddress : null).ToArray(),
                States = overdue.Select(o => o.State).ToArray(),
                DefaultReplyTo = defaultReplyTo,
                Ready = InboxReady,
                Failed = ProvisioningFailed,
                Timeout = InboxTimeout,
            },
            transaction,
            cancellationToken: cancellationToken));
        var orders = await LoadAsync(transaction, [.. claimed], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new OverdueClaims(orders, overdue.Length, overdueBefore);
    }

    /// <summary>
    /// Gives up the claims left unwritten for longer than <paramref name="after"/> (their writer failed or died between
    /// the claim and the file) whose <paramref name="maxAttempts"/> are spent, and takes the others over, each stamped
    /// with one more attempt so that no other replica takes it at the same time; at most <paramref name="batchSize"/> of each.
    /// </summary>
    public async Task<TakenConfirmations> TakeUnwrittenAsync(TimeSpan after, int maxAttempts, int batchSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (givenUp, taken) = await Claims.TakeAsync<GivenUpConfirmation, Guid>(
            transaction, "order_id as OrderId, email_id as EmailId, attempts as Attempts", after, maxAttempts, batchSize, cancellationToken);
        var orders = await LoadAsync(transaction, taken, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new TakenConfirmations(orders, givenUp);
    }

    /// <summary>Gives back the attempt the sweeper stamped on the claims of <paramref name="orderIds"/>, whose write failed or stopped for no fault of their own.</summary>
    public Task GiveBackAttemptsAsync(IEnumerable<Guid> orderIds, CancellationToken cancellationToken) =>
        Claims.GiveBackAttemptsAsync(dataSource, [.. orderIds.Select(id => (object)new { OrderId = id })], cancellationToken);

    /// <summary>
    /// Puts the claim of <paramref name="orderId"/>'s confirmation back in the sweeper's hands if the sweeper gave it up
    /// unwritten (ops fixed what failed its writes), its email id and Reply-To as claimed; otherwise says why not,
    /// changing nothing (<see cref="UnwrittenClaims.PutBackAsync{TClaim}"/>).
    /// </summary>
    public Task<WriteAgainOutcome<ConfirmationPutBack>> PutBackAsync(Guid orderId, CancellationToken cancellationToken) =>
        Claims.PutBackAsync<ConfirmationPutBack>(
            dataSource,
            "c.order_id as OrderId, o.order_ref as OrderRef, c.email_id as EmailId, c.reply_to as ReplyTo",
            new { OrderId = orderId },
            cancellationToken);

    /// <summary>Records that the confirmation's file is in the outbox.</summary>
    public async Task MarkWrittenAsync(Guid orderId, string fileName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update order_confirmations set written_at = now(), file_name = @FileName where order_id = @OrderId",
            new { OrderId = orderId, FileName = fileName },
            cancellationToken: cancellationToken));
    }

    private static async Task<IReadOnlyList<ConfirmationOrder>> LoadAsync(NpgsqlTransaction transaction, Guid[] orderIds, CancellationToken cancellationToken)
    {
        if (orderIds.Length == 0)
        {
            return [];
        }

        var connection = transaction.Connection!;
        var orders = await connection.QueryAsync<ConfirmationOrder>(new CommandDefinition(
            """
            select o.id as OrderId, o.order_ref as OrderRef, o.customer_email as CustomerEmail, o.customer_name as CustomerName,
                   o.currency as Currency, o.total as Total, c.email_id as EmailId, c.reply_to as ReplyTo, o.trace_parent as TraceParent
            from order_confirmations c join orders o on o.id = c.order_id
            where c.order_id = any(@OrderIds)
            """,
            new { OrderIds = orderIds },
            transaction,
            cancellationToken: cancellationToken));
        var lines = (await connection.QueryAsync<ConfirmationLine>(new CommandDefinition(
            """
            select order_id as OrderId, sku as Sku, name as Name, quantity as Quantity, unit_price as UnitPrice
            from order_items where order_id = any(@OrderIds) order by order_id, line
            """,
            new { OrderIds = orderIds },
            transaction,
            cancellationToken: cancellationToken))).ToLookup(l => l.OrderId);
        return [.. orders.Select(o => o with { Lines = [.. lines[o.OrderId]] })];
    }
}
