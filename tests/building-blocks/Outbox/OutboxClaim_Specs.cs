using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Testing;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>
/// The relay's claims, over the real database and broker: nothing is held in the database while the broker confirms,
/// and a claim left by a relay that died is taken back once its lease has run out, not before.
/// </summary>
public sealed class OutboxClaim_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    // A schema of its own: a relay of another spec class on the shared one would publish these rows past the gate.
    private const string Schema = "outbox_claim_specs";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Long enough for the relay to come round several times, were it to take a row it must not.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task While_a_batch_awaits_the_brokers_confirms_Should_hold_no_lock_on_its_rows_and_show_them_claimed()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure, Schema);
        var deliveries = new MessageDeliveries<Parcel>();
        await using var probe = await OutboxTestHosts.ProbeAsync("relay-claim-probe", infrastructure, deliveries);
        var (ids, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 3);
        var gate = new PublishGate(ids);
        using var connected = probe.Services.GetRequiredService<IBus>().ConnectPublishObserver(gate);

        // A publish timeout and a lease far beyond the spec's checks, however slow a busy machine makes them: the publishes
        // wait at the gate, not on the broker, and the claim is still live when it is looked at.
        var options = new OutboxOptions { PollInterval = TimeSpan.FromMilliseconds(200), PublishTimeout = TimeSpan.FromSeconds(30), ClaimLease = TimeSpan.FromMinutes(10) };
        await using (await RunningRelay.StartAsync(dataSource, probe, options))
        {
            // Released whatever the checks find: a relay stopped with its publishes at the gate would never stop.
            try
            {
                await gate.AllHeld.Task.WaitAsync(Timeout);

                await using (var connection = await dataSource.OpenConnectionAsync())
                await using (var transaction = await connection.BeginTransactionAsync())
                {
                    // Every row can be locked by someone else while its publish is in flight: no transaction of the relay holds it.
                    var lockable = await connection.ExecuteScalarAsync<int>(
                        "select count(*)::int from (select id from outbox_messages where id = any(@ids) for update skip locked) as free",
                        new { ids = ids.ToArray() },
                        transaction);
                    Assert.Equal(ids.Count, lockable);

                    // And the claim that keeps other relays off them is committed, with its lease.
                    var claimed = await connection.ExecuteScalarAsync<int>(
                        "select count(*)::int from outbox_messages where id = any(@ids) and claimed_until > now() + interval '1 minute' and published_at is null",
                        new { ids = ids.ToArray() },
                        transaction);
                    Assert.Equal(ids.Count, claimed);
                }
            }
            finally
            {
                gate.Release();
            }

            await deliveries.WaitForAllAsync(ids, Timeout);
        }

        await using var check = await dataSource.OpenConnectionAsync();
        var stamped = await check.QueryAsync<(DateTime? PublishedAt, DateTime? ClaimedUntil)>(
            "select published_at, claimed_until from outbox_messages where id = any(@ids)", new { ids = ids.ToArray() });
        Assert.All(stamped, row => Assert.True(row is { PublishedAt: not null, ClaimedUntil: null }, $"published {row.PublishedAt}, claimed until {row.ClaimedUntil}"));
    }

    [Fact]
    public async Task When_a_relay_died_holding_a_claim_Should_leave_its_rows_alone_until_the_lease_ran_out_then_publish_them_once()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure, Schema);
        var deliveries = new MessageDeliveries<Parcel>();
        await using var probe = await OutboxTestHosts.ProbeAsync("relay-lease-probe", infrastructure, deliveries);
        var (held, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 2);
        var (expired, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 2);

        // As a relay that claimed them and was killed would leave them: one claim still running, one run out.
        await SetClaimAsync(dataSource, held, "now() + interval '1 hour'");
        await SetClaimAsync(dataSource, expired, "now() - interval '1 second'");

        await using (await RunningRelay.StartAsync(dataSource, probe, new OutboxOptions { PollInterval = TimeSpan.FromMilliseconds(100) }))
        {
            await deliveries.WaitForAllAsync(expired, Timeout);
            await Task.Delay(Settle);
            Assert.Empty(deliveries.CountsOf(held));

            await SetClaimAsync(dataSource, held, "now() - interval '1 second'");
            await deliveries.WaitForAllAsync(held, Timeout);
            await Task.Delay(Settle);
        }

        Assert.All(deliveries.CountsOf([.. held, .. expired]), count => Assert.Equal(1, count.Value));
    }

    private static async Task SetClaimAsync(NpgsqlDataSource dataSource, IReadOnlyList<Guid> ids, string until)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync($"update outbox_messages set claimed_until = {until} where id = any(@ids)", new { ids = ids.ToArray() });
    }

    /// <summary>
    /// Holds the publishes of the <c>expected</c> rows, told apart by message id (the relay publishes each row's stored
    /// JSON, not a <see cref="Parcel"/> record), until released.
    /// </summary>
    private sealed class PublishGate(IReadOnlyList<Guid> expected) : IPublishObserver
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        /// <summary>Completes once the <c>expected</c> rows' publishes are all waiting at the gate.</summary>
        public TaskCompletionSource AllHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public async Task PrePublish<T>(PublishContext<T> context)
            where T : class
        {
            if (context.MessageId is not { } id || !expected.Contains(id))
            {
                return;
            }

            if (Interlocked.Increment(ref _held) == expected.Count)
            {
                AllHeld.TrySetResult();
            }

            await _released.Task;
        }

        public Task PostPublish<T>(PublishContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PublishFault<T>(PublishContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }
}
