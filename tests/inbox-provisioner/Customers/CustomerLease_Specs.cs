using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Steps.Inbox;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Customers;

/// <summary>
/// A customer's lease, on the provisioner's own database: holders of one customer take turns, a killed holder's lease
/// is taken over once it expires (at once when its process is provably gone), the wait is bounded, a write after the lease was lost is refused, and each turn starts
/// from the row as the turns before left it.
/// </summary>
public sealed class CustomerLease_Specs(ProvisionerFixture fixture) : IClassFixture<ProvisionerFixture>
{
    private static readonly TimeSpan Turn = TimeSpan.FromMilliseconds(800);

    private NpgsqlDataSource DataSource => fixture.Provisioner!.Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>The second holder of a customer waits while the first holds the lease, then proceeds once it is released.</summary>
    [Fact]
    public async Task Should_make_a_second_holder_wait_for_the_first_to_release()
    {
        var customers = Customers(wait: TimeSpan.FromSeconds(10));
        var user = ProvisionerFixture.NewUser();
        var first = await customers.LeaseAsync(user, CancellationToken.None);
        var second = customers.LeaseRecordingAsync(Order(user), CancellationToken.None);

        await Task.Delay(Turn);
        Assert.False(second.IsCompleted, "the second holder got the lease while the first held it");
        Assert.Null(await first.ReadAsync(CancellationToken.None));
        await first.DisposeAsync();
        await using var taken = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(taken.Row, await taken.ReadAsync(CancellationToken.None));
    }

    /// <summary>Another customer's lease does not make a holder wait.</summary>
    [Fact]
    public async Task Should_not_make_holders_of_different_customers_wait()
    {
        var customers = Customers(wait: TimeSpan.FromMilliseconds(300));
        await using var first = await customers.LeaseAsync(ProvisionerFixture.NewUser(), CancellationToken.None);
        await using var second = await customers.LeaseAsync(ProvisionerFixture.NewUser(), CancellationToken.None);
        Assert.Null(first.Row);
        Assert.Null(second.Row);
    }

    /// <summary>The wait for a held lease is bounded by LockTimeout, then a CustomerLeaseBusyException says so.</summary>
    [Fact]
    public async Task Should_give_up_waiting_after_the_lock_timeout()
    {
        var user = ProvisionerFixture.NewUser();
        await using var held = await Customers(wait: TimeSpan.FromSeconds(10)).LeaseAsync(user, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<CustomerLeaseBusyException>(() => Customers(wait: TimeSpan.FromMilliseconds(500)).LeaseAsync(user, CancellationToken.None));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// A holder that keeps running keeps its lease past the lease's length: it renews it. Renewed every third of its
    /// length, it is lost only if renewals stall for two thirds of it: 4 s leaves room for a test machine running other
    /// test processes beside this one (2 s did not, once).
    /// </summary>
    [Fact]
    public async Task Should_keep_a_lease_past_its_length_while_the_holder_runs()
    {
        var customers = Customers(wait: TimeSpan.FromMilliseconds(300), length: TimeSpan.FromSeconds(4));
        var user = ProvisionerFixture.NewUser();
        await using var held = await customers.LeaseAsync(user, CancellationToken.None);

        await Task.Delay(TimeSpan.FromSeconds(6));
        await Assert.ThrowsAsync<CustomerLeaseBusyException>(() => customers.LeaseAsync(user, CancellationToken.None));
        await held.SaveWebhookAsync("wh_kept", CancellationToken.None);
    }

    /// <summary>A lease left by a killed holder (a row nobody renews) is taken over once it expires, not before.</summary>
    [Fact]
    public async Task Should_take_over_a_killed_holders_lease_once_it_expires()
    {
        var user = ProvisionerFixture.NewUser();
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "insert into customer_leases (user_id, holder, expires_at) values (@user, gen_random_uuid(), now() + interval '1.5 seconds')", new { user });
        }

        var clock = Stopwatch.StartNew();
        await using var taken = await Customers(wait: TimeSpan.FromSeconds(10)).LeaseRecordingAsync(Order(user), CancellationToken.None);

        // Well below the 1.5 s left on the dead lease, for a slow insert's round trip, yet far above a free lease's wait.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(8));
        Assert.NotNull(taken.Row);
    }

    /// <summary>
    /// A lease whose holder's process is gone (a provisioner killed and started again on the same machine; here a real
    /// process, killed) is taken over at once, not after the 10 minutes it has left: the wait gives up long before.
    /// </summary>
    [Fact]
    public async Task Should_take_over_at_once_the_lease_of_a_holder_whose_process_is_gone()
    {
        var user = ProvisionerFixture.NewUser();
        using var killed = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        var process = HolderProcess.Of(killed.Id).ToLease();
        killed.Kill();
        await killed.WaitForExitAsync();
        await LeasedUntilLaterAsync(user, process);

        await using var taken = await Customers(wait: TimeSpan.FromSeconds(5)).LeaseRecordingAsync(Order(user), CancellationToken.None);

        Assert.NotNull(taken.Row);
    }

    /// <summary>A lease whose holder's process runs, or whose holder names no process (an older version's), is waited for.</summary>
    [Fact]
    public async Task Should_wait_for_the_lease_of_a_holder_whose_process_runs_or_is_unknown()
    {
        using var running = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        var (alive, unknown) = (ProvisionerFixture.NewUser(), ProvisionerFixture.NewUser());
        await LeasedUntilLaterAsync(alive, HolderProcess.Of(running.Id).ToLease());
        await LeasedUntilLaterAsync(unknown, null);

        await Assert.ThrowsAsync<CustomerLeaseBusyException>(() => Customers(wait: TimeSpan.FromMilliseconds(500)).LeaseAsync(alive, CancellationToken.None));
        await Assert.ThrowsAsync<CustomerLeaseBusyException>(() => Customers(wait: TimeSpan.FromMilliseconds(500)).LeaseAsync(unknown, CancellationToken.None));
        running.Kill();
    }

    /// <summary>An order is recorded with the take only when the take gets the lease: a take that waits in vain records nothing.</summary>
    [Fact]
    public async Task Should_record_an_order_only_with_a_lease_taken()
    {
        using var running = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        var user = ProvisionerFixture.NewUser();
        await LeasedUntilLaterAsync(user, HolderProcess.Of(running.Id).ToLease());

        await Assert.ThrowsAsync<CustomerLeaseBusyException>(() => Customers(wait: TimeSpan.FromMilliseconds(500)).LeaseRecordingAsync(Order(user), CancellationToken.None));

        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from customer_inboxes where user_id = @user", new { user }));
        running.Kill();
    }

    /// <summary>Once the lease is another holder's, every write throws and changes nothing, and releasing leaves the new holder's lease alone.</summary>
    [Fact]
    public async Task Should_refuse_writes_after_the_lease_was_lost()
    {
        var user = ProvisionerFixture.NewUser();
        var order = Order(user);
        var lease = await Customers(wait: TimeSpan.FromSeconds(10)).LeaseRecordingAsync(order, CancellationToken.None);
        var before = lease.Row;
        var usurper = Guid.NewGuid();
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update customer_leases set holder = @usurper where user_id = @user", new { usurper, user });
        }

        await Assert.ThrowsAsync<CustomerLeaseLostException>(() => lease.SaveInboxAsync("inbox_lost", "lost@agentmail.to", CancellationToken.None));
        await Assert.ThrowsAsync<CustomerLeaseLostException>(() => lease.SaveWebhookAsync("wh_lost", CancellationToken.None));
        await Assert.ThrowsAsync<CustomerLeaseLostException>(() => lease.ForgetWebhookAsync(CancellationToken.None));
        await Assert.ThrowsAsync<CustomerLeaseLostException>(() => lease.ForgetAsync(CancellationToken.None));
        await Assert.ThrowsAsync<CustomerLeaseLostException>(() => lease.ReleaseAsync(CancellationToken.None));
        Assert.Equal(before, await lease.ReadAsync(CancellationToken.None));

        await lease.DisposeAsync();
        await using var check = await DataSource.OpenConnectionAsync();
        Assert.Equal(usurper, await check.QuerySingleAsync<Guid>("select holder from customer_leases where user_id = @user", new { user }));
    }

    /// <summary>An expired lease nobody took yet is lost too: its holder cannot know whether someone else had a turn.</summary>
    [Fact]
    public async Task Should_refuse_writes_after_the_lease_expired()
    {
        var user = ProvisionerFixture.NewUser();
        await using var lease = await Customers(wait: TimeSpan.FromSeconds(10)).LeaseRecordingAsync(Order(user), CancellationToken.None);
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update customer_leases set expires_at = now() - interval '1 second' where user_id = @user", new { user });
        }

        await Assert.ThrowsAsync<CustomerLeaseLostException>(() => lease.SaveInboxAsync("inbox_expired", "expired@agentmail.to", CancellationToken.None));
        Assert.Null((await lease.ReadAsync(CancellationToken.None))!.InboxId);
    }

    /// <summary>The row read with the take is the one the previous holder left, and the release lets the next holder in at once.</summary>
    [Fact]
    public async Task Should_start_each_turn_from_the_row_the_previous_turn_left()
    {
        var customers = Customers(wait: TimeSpan.FromMilliseconds(300));
        var user = ProvisionerFixture.NewUser();
        var first = await customers.LeaseRecordingAsync(Order(user), CancellationToken.None);
        await first.SaveInboxAsync("inbox_turns", "turns@agentmail.to", CancellationToken.None);
        await first.ReleaseAsync(CancellationToken.None);

        await using var second = await customers.LeaseAsync(user, CancellationToken.None);
        Assert.Equal(("inbox_turns", "turns@agentmail.to"), (second.Row?.InboxId, second.Row?.InboxAddress));
        Assert.Same(second.Row, second.Owning("INBOX_TURNS"));
        Assert.Null(second.Owning("inbox_someone_elses"));

        // The first holder's disposal after its release leaves the second's lease alone.
        await first.DisposeAsync();
        await Assert.ThrowsAsync<CustomerLeaseBusyException>(() => customers.LeaseAsync(user, CancellationToken.None));
        await second.SaveWebhookAsync("wh_turns", CancellationToken.None);
    }

    /// <summary>An order older than the newest recorded leaves the newest in place, and the row comes back all the same.</summary>
    [Fact]
    public async Task Should_keep_the_newest_order_when_an_older_one_is_recorded()
    {
        var customers = Customers(wait: TimeSpan.FromSeconds(10));
        var newer = Order(ProvisionerFixture.NewUser());
        var older = newer with { OrderId = Guid.NewGuid(), OrderRef = "ORD-OLDER", PlacedAt = newer.PlacedAt.AddMinutes(-1) };

        await using (var first = await customers.LeaseRecordingAsync(newer, CancellationToken.None))
        {
            Assert.Equal(newer.OrderRef, first.Row!.NewestOrderRef);
            await first.ReleaseAsync(CancellationToken.None);
        }

        await using var second = await customers.LeaseRecordingAsync(older, CancellationToken.None);
        Assert.Equal(newer.OrderRef, second.Row!.NewestOrderRef);
        Assert.Equal(newer.OrderRef, (await second.ReadAsync(CancellationToken.None))!.NewestOrderRef);
    }

    // Another holder's lease with 10 minutes left, naming the process it ran in.
    private async Task LeasedUntilLaterAsync(string user, string? process)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "insert into customer_leases (user_id, holder, holder_process, expires_at) values (@user, gen_random_uuid(), @process, now() + interval '10 minutes')",
            new { user, process });
    }

    private static EnsureCustomerInbox Order(string user)
    {
        var created = ProvisionerFixture.Order(user);
        return new EnsureCustomerInbox(created.OrderId, created.OrderRef, created.UserId, created.CustomerEmail, created.PlacedAt);
    }

    private CustomerInboxes Customers(TimeSpan wait, TimeSpan? length = null) =>
        new(DataSource, Options.Create(new ProvisioningOptions { LockTimeout = wait, LeaseLength = length ?? TimeSpan.FromSeconds(30) }));
}
