using System.Diagnostics;
using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.InboxProvisioner.Steps.Inbox;

namespace OrdersMail.InboxProvisioner.Customers;

/// <summary>
/// One step's turn at a customer: a row of <c>customer_leases</c> naming this step as holder until it expires, renewed
/// while the step runs and deleted when the turn ends. Every statement is short and autocommitted on a pooled
/// connection returned at once; each write to the customer's row applies only while the lease is still this holder's
/// (checked in the same statement), and throws <see cref="CustomerLeaseLostException"/> otherwise. A write made is
/// kept whatever the step does next: there is no transaction to roll back.
/// </summary>
public sealed class CustomerLease : IAsyncDisposable
{
    private const string Columns =
        "user_id as UserId, inbox_id as InboxId, inbox_address as InboxAddress, inbox_generation as InboxGeneration, webhook_id as WebhookId, " +
        "webhook_generation as WebhookGeneration, newest_order_ref as NewestOrderRef";

    // Locked for share, so a takeover (an update of the lease row) waits for the write, or the write sees the new holder.
    private const string LiveLease =
        "select 1 from customer_leases where user_id = @UserId and holder = @Holder and expires_at > now() for share";

    // Three statements sent together: the second starts after the first and reads with a snapshot of its own (read
    // committed), so once the lease is taken it sees every write of the holders before, which all committed before
    // they released (or, taken over, before the takeover's update got past their writes' share lock). It reads (or
    // records the order and returns the row, see RecordOrder) only if the lease is this holder's; all run in one
    // implicit transaction, so the row read is never another turn's and an order is recorded only with a lease taken.
    // A lease is taken over once expired, or at once from the holder named @GoneHolder, whose process is gone (the
    // third statement names the holder when it is another, for the caller to judge).
    private const string Take =
        """
        insert into customer_leases (user_id, holder, holder_process, expires_at)
        values (@UserId, @Holder, @HolderProcess, now() + @LengthMs * interval '1 millisecond')
        on conflict (user_id) do update set holder = excluded.holder, holder_process = excluded.holder_process, expires_at = excluded.expires_at
        where customer_leases.expires_at <= now() or customer_leases.holder = @GoneHolder
        returning holder;
        """;

    private const string Read =
        $"""
        select {Columns} from customer_inboxes
        where user_id = @UserId and exists (select 1 from customer_leases where user_id = @UserId and holder = @Holder);
        """;

    // Records the order as the customer's newest unless a newer one is known (ties go to the larger order id). The row
    // comes from the upsert when it wrote, and otherwise (a newer order known) from the statement's snapshot, which is
    // current: the lease is held, so nobody else writes the row. No row means no lease. A new row starts at the inbox
    // generation a teardown retired the customer at (ForgetAsync), so their inbox is not asked for under a deleted one's
    // client_id.
    private const string RecordOrder =
        $"""
        with lease as ({LiveLease}),
        recorded as (
            insert into customer_inboxes as c (user_id, newest_order_id, newest_order_ref, newest_placed_at, inbox_generation)
            select @UserId, @OrderId, @OrderRef, @PlacedAt,
                   coalesce((select inbox_generation from retired_inbox_generations where user_id = @UserId), 0)
            where exists (select 1 from lease)
            on conflict (user_id) do update
            set newest_order_id = excluded.newest_order_id, newest_order_ref = excluded.newest_order_ref,
                newest_placed_at = excluded.newest_placed_at, updated_at = now()
            where (excluded.newest_placed_at, excluded.newest_order_id) > (c.newest_placed_at, c.newest_order_id)
            returning {Columns})
        select * from recorded
        union all
        select {Columns} from customer_inboxes
        where user_id = @UserId and exists (select 1 from lease) and not exists (select 1 from recorded);
        """;

    private const string OtherHolder =
        "select holder as Holder, holder_process as Process from customer_leases where user_id = @UserId and holder <> @Holder";

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(250);

    // A release that cannot reach the database is left to the lease's expiry.
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _userId;
    private static readonly string ThisProcess = HolderProcess.Current.ToLease();

    private readonly Guid _holder = Guid.NewGuid();
    private readonly TimeSpan _length;
    private readonly CancellationTokenSource _stopRenewing = new();
    private PeriodicTimer? _renewal;
    private Task _renewing = Task.CompletedTask;
    private bool _released;
    private Guid? _goneHolder;

    private CustomerLease(NpgsqlDataSource dataSource, string userId, TimeSpan length)
    {
        _dataSource = dataSource;
        _userId = userId;
        _length = length;
    }

    /// <summary>
    /// The customer's row as read just after the lease was taken, with the order recorded when the lease was taken for
    /// one (null when no order of theirs is recorded): every change since then is this holder's own.
    /// </summary>
    public CustomerInbox? Row { get; private set; }

    /// <summary>The customer's row as it is now, or null when no order of theirs is recorded.</summary>
    public Task<CustomerInbox?> ReadAsync(CancellationToken cancellationToken) =>
        QuerySingleOrDefaultAsync<CustomerInbox>($"select {Columns} from customer_inboxes where user_id = @UserId", new { UserId = _userId }, cancellationToken);

    /// <summary>The row as taken (<see cref="Row"/>) when the customer owns <paramref name="inboxId"/>; null when they do not (any more: torn down meanwhile).</summary>
    public CustomerInbox? Owning(string inboxId) =>
        Row?.InboxId is { } owned && string.Equals(owned, inboxId, StringComparison.OrdinalIgnoreCase) ? Row : null;

    /// <summary>
    /// Remembers the customer's inbox, the one AgentMail keeps under their client_id. Another customer's row naming it
    /// is stale (that inbox was deleted outside the provisioner and its address given out again): it loses the inbox in
    /// the same transaction, before this write, which the unique index on inbox ids would otherwise refuse for good.
    /// That customer's next order asks AgentMail for theirs, under a new inbox generation: their inbox's address being
    /// another client_id's now proves it deleted, and a create under its client_id might be answered with it.
    /// </summary>
    public Task SaveInboxAsync(string inboxId, string inboxAddress, CancellationToken cancellationToken) =>
        WriteAsync(
            "update customer_inboxes set inbox_id = @InboxId, inbox_address = @InboxAddress, updated_at = now() where user_id = @UserId and exists (select 1 from lease)",
            new { InboxId = inboxId, InboxAddress = inboxAddress },
            cancellationToken,
            before: $"update customer_inboxes set inbox_id = null, inbox_address = null, inbox_generation = inbox_generation + 1, updated_at = now() where inbox_id = @InboxId and user_id <> @UserId and exists ({LiveLease});");

    /// <summary>Remembers the inbox's webhook.</summary>
    public Task SaveWebhookAsync(string webhookId, CancellationToken cancellationToken) =>
        WriteAsync(
            "update customer_inboxes set webhook_id = @WebhookId, updated_at = now() where user_id = @UserId and exists (select 1 from lease)",
            new { WebhookId = webhookId },
            cancellationToken);

    /// <summary>Forgets a deleted webhook; the next one gets a new generation, hence a new client_id.</summary>
    public Task ForgetWebhookAsync(CancellationToken cancellationToken) =>
        WriteAsync(
            "update customer_inboxes set webhook_id = null, webhook_generation = webhook_generation + 1, updated_at = now() where user_id = @UserId and exists (select 1 from lease)",
            new { },
            cancellationToken);

    /// <summary>
    /// Forgets an inbox AgentMail no longer has (deleted by a teardown or outside the provisioner), and its webhook, each
    /// under a new generation: the customer's next inbox is asked for under a client_id never used, so AgentMail cannot
    /// answer it with the deleted one.
    /// </summary>
    public Task ForgetInboxAsync(CancellationToken cancellationToken) =>
        WriteAsync(
            "update customer_inboxes set inbox_id = null, inbox_address = null, inbox_generation = inbox_generation + 1, webhook_id = null, webhook_generation = webhook_generation + 1, updated_at = now() where user_id = @UserId and exists (select 1 from lease)",
            new { },
            cancellationToken);

    /// <summary>
    /// Forgets the customer altogether (after their inbox was deleted), all but their inbox generation, kept in
    /// <c>retired_inbox_generations</c> in the same transaction: should they order again, their row starts from it.
    /// </summary>
    public Task ForgetAsync(CancellationToken cancellationToken) =>
        WriteAsync(
            "delete from customer_inboxes where user_id = @UserId and exists (select 1 from lease)",
            new { },
            cancellationToken,
            before: $"""
                insert into retired_inbox_generations as r (user_id, inbox_generation)
                select user_id, inbox_generation from customer_inboxes where user_id = @UserId and exists ({LiveLease})
                on conflict (user_id) do update set inbox_generation = greatest(r.inbox_generation, excluded.inbox_generation), retired_at = now();
                """);

    /// <summary>
    /// Ends the turn in one statement: stops renewing and releases the lease, and throws
    /// <see cref="CustomerLeaseLostException"/> unless it was this holder's without a break since it was taken (a
    /// takeover changes the holder, and an expired lease is never renewed): what the step did at AgentMail meanwhile
    /// was then nobody else's turn.
    /// </summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        await StopRenewingAsync();
        var released = await ExecuteAsync(
            "delete from customer_leases where user_id = @UserId and holder = @Holder and expires_at > now()",
            new { UserId = _userId, Holder = _holder },
            cancellationToken);
        _released = released == 1;
        if (!_released)
        {
            throw LeaseLost("this step's turn ended");
        }
    }

    /// <summary>Stops renewing and releases the lease unless <see cref="ReleaseAsync"/> did; one that cannot be released expires by itself.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopRenewingAsync();
        _stopRenewing.Dispose();
        if (_released)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(ReleaseTimeout);
        try
        {
            await ExecuteAsync("delete from customer_leases where user_id = @UserId and holder = @Holder", new { UserId = _userId, Holder = _holder }, timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // Nothing to undo: the row names this holder alone and expires within the lease's length.
        }
    }

    /// <summary>
    /// Waits for the customer's lease, polling with a growing pause, for at most <paramref name="wait"/>; a lease whose
    /// holder stopped renewing it (killed) is taken over once expired, or at once when its process is provably gone
    /// (<see cref="HolderProcess.IsGone"/>: the same machine's provisioner, killed and started again). The customer's
    /// row is read with the take, and <paramref name="recording"/>, when given, is recorded as their newest order with
    /// it (unless a newer one is known), in the same round trip. A wait that runs out throws <see cref="CustomerLeaseBusyException"/>.
    /// </summary>
    internal static async Task<CustomerLease> AcquireAsync(
        NpgsqlDataSource dataSource, string userId, EnsureCustomerInbox? recording, TimeSpan length, TimeSpan wait, CancellationToken cancellationToken)
    {
        var lease = new CustomerLease(dataSource, userId, length);
        var started = Stopwatch.GetTimestamp();
        var pause = FirstPause;
        Guid? gone = null;
        while (!await lease.TryTakeAsync(gone, recording, cancellationToken))
        {
            // A holder whose process is gone is taken over at once, by one more take naming it.
            if (lease._goneHolder is { } holder && holder != gone)
            {
                gone = holder;
                continue;
            }

            var left = wait - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new CustomerLeaseBusyException($"Customer {userId}'s lease was held by another step for longer than {wait}.");
            }

            // Jittered, so the waiters of one customer do not poll in step.
            var jittered = pause * (0.5 + Random.Shared.NextDouble());
            await Task.Delay(jittered < left ? jittered : left, cancellationToken);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }

        lease._renewal = new PeriodicTimer(length / 3);
        lease._renewing = lease.RenewAsync(lease._renewal, lease._stopRenewing.Token);
        return lease;
    }

    private async Task<bool> TryTakeAsync(Guid? goneHolder, EnsureCustomerInbox? recording, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            Take + (recording is null ? Read : RecordOrder) + OtherHolder,
            new
            {
                UserId = _userId,
                Holder = _holder,
                HolderProcess = ThisProcess,
                GoneHolder = goneHolder,
                LengthMs = _length.TotalMilliseconds,
                OrderId = recording?.OrderId,
                OrderRef = recording?.OrderRef,
                PlacedAt = recording?.PlacedAt,
            },
            cancellationToken: cancellationToken));
        var taken = await results.ReadSingleOrDefaultAsync<Guid?>() == _holder;
        Row = await results.ReadSingleOrDefaultAsync<CustomerInbox>();
        var other = await results.ReadSingleOrDefaultAsync<LeaseHolder>();
        _goneHolder = other is not null && HolderProcess.FromLease(other.Process)?.IsGone() == true ? other.Holder : null;
        return taken;
    }

    // Disposing the timer ends a renewal waiting for its tick without an exception (the common case: three leases per
    // order); the cancel only interrupts a renewal statement in flight.
    private async Task StopRenewingAsync()
    {
        _renewal?.Dispose();
        await _stopRenewing.CancelAsync();
        await _renewing;
    }

    // Renews three times per length, so two missed renewals (a busy database) still keep the lease. A step that runs
    // on after its lease was lost finds out at its next write, or at its release, which throw.
    private async Task RenewAsync(PeriodicTimer renewal, CancellationToken stop)
    {
        try
        {
            while (await renewal.WaitForNextTickAsync(CancellationToken.None))
            {
                try
                {
                    var renewed = await ExecuteAsync(
                        "update customer_leases set expires_at = now() + @LengthMs * interval '1 millisecond' where user_id = @UserId and holder = @Holder and expires_at > now()",
                        new { UserId = _userId, Holder = _holder, LengthMs = _length.TotalMilliseconds },
                        stop);
                    if (renewed == 0)
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    // The next tick tries again; the step's fenced writes tell whether the lease survived.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Released.
        }
    }

    // One fenced statement: the write (a CTE that sees the live lease as "lease") and the lease's check, together;
    // after a statement that must come first, when given (sent together: one implicit transaction).
    private async Task WriteAsync(string write, object parameters, CancellationToken cancellationToken, string? before = null)
    {
        var arguments = new DynamicParameters(parameters);
        arguments.Add("UserId", _userId);
        arguments.Add("Holder", _holder);
        var held = await QuerySingleOrDefaultAsync<int>($"{before}with lease as ({LiveLease}), write as ({write}) select count(*)::int from lease", arguments, cancellationToken);
        if (held == 0)
        {
            throw LeaseLost("this step's write (not made)");
        }
    }

    private CustomerLeaseLostException LeaseLost(string what) =>
        new($"Customer {_userId}'s lease expired before {what} and may be another step's since.");

    private async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    private async Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    /// <summary>Another step's lease on the customer: its holder, and the process it named (null for a lease of an older version).</summary>
    private sealed record LeaseHolder(Guid Holder, string? Process);
}
