using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Testing;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>
/// Rows the relay can never publish, over the real database and broker: set aside, and the rows behind them go out; and
/// rows of a type another version carries, left for it.
/// </summary>
public sealed class OutboxDeadLetter_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private const int MaxAttempts = 3;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Several polls: a dead letter tried again would have its attempts raised by then.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task When_a_row_fails_through_its_own_fault_MaxAttempts_times_Should_set_it_aside_and_publish_the_newer_rows()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure);
        var deliveries = new MessageDeliveries<Parcel>();
        await using var probe = await OutboxTestHosts.ProbeAsync("dead-letter-probe", infrastructure, deliveries);
        using var listener = new OutboxMeterListener(probe.Service.Name);

        // The oldest row: a type the relay carries, whose payload is no message at all.
        var unreadable = Guid.NewGuid();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "insert into outbox_messages (id, message_type, payload, created_at) values (@unreadable, @parcel, '[\"not\", \"an\", \"object\"]', now() - interval '1 minute')",
                new { unreadable, parcel = typeof(Parcel).FullName });
        }

        var (ids, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 3);

        // One row per batch: until it is set aside, every batch is that row and nothing newer goes out.
        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying()))
        {
            await deliveries.WaitForAllAsync(ids, Timeout);
            await Eventually.Until(
                () => Task.FromResult((Pending: listener.Observe(OutboxMetrics.Pending), DeadLetters: listener.Observe(OutboxMetrics.DeadLetters))),
                seen => seen.Pending == 0 && seen.DeadLetters == 1,
                Timeout,
                "the gauges to report nothing pending and one dead letter");

            // Rows written after the dead letter go out too, and the dead letter is not tried again.
            var (later, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 2);
            await deliveries.WaitForAllAsync(later, Timeout);
            await Task.Delay(Settle);
        }

        Assert.Equal(1, listener.DeadLettered);
        var letter = Assert.Single(await DeadLettersAsync(dataSource));
        Assert.Equal((unreadable, MaxAttempts, "unreadable payload: a JSON Array, not an object"), letter);
        Assert.Empty(deliveries.Of(unreadable));
    }

    /// <summary>
    /// In a rolling upgrade an older replica's relay shares the table with a newer one's: a row of a type only the newer
    /// version carries is not the older relay's to publish, and no fault of the row's. It was once claimed, failed and
    /// set aside as a dead letter after MaxAttempts by whichever older relay claimed it, and so lost to its consumers.
    /// </summary>
    [Fact]
    public async Task When_a_row_is_of_a_type_only_a_newer_version_carries_Should_leave_it_untouched_for_a_relay_that_carries_it()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure, "outbox_newer_type_specs");
        var deliveries = new MessageDeliveries<Parcel>();
        await using var probe = await OutboxTestHosts.ProbeAsync("newer-type-probe", infrastructure, deliveries);
        using var listener = new OutboxMeterListener(probe.Service.Name);
        var postcard = new Postcard(Guid.NewGuid(), "Greetings from the next version");
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "insert into outbox_messages (id, message_type, payload, created_at) values (@Id, @Type, @Payload::jsonb, now() - interval '1 minute')",
                new { postcard.Id, Type = typeof(Postcard).FullName, Payload = OutboxMessageTypes.Serialize(postcard, typeof(Postcard)) });
        }

        var (ids, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 3);

        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying()))
        {
            await deliveries.WaitForAllAsync(ids, Timeout);
            await Eventually.Until(() => Task.FromResult(listener.Observe(OutboxMetrics.Pending)), pending => pending == 1, Timeout, "the gauge to count the postcard as pending");
            await Task.Delay(Settle);
        }

        Assert.Equal((0, (string?)null, false, false), await StateOfAsync(dataSource, postcard.Id));
        Assert.Equal(0, listener.DeadLettered);

        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying(), messages: new OutboxMessageTypes(typeof(Parcel), typeof(Postcard))))
        {
            await Eventually.Until(() => StateOfAsync(dataSource, postcard.Id), state => state.Published, Timeout, "the newer relay to publish the postcard");
        }

        Assert.Equal((1, (string?)null, false, true), await StateOfAsync(dataSource, postcard.Id));
    }

    [Fact]
    public async Task When_a_dead_letter_is_put_back_by_ops_Should_try_it_again()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure, "outbox_requeue_specs");
        var deliveries = new MessageDeliveries<Parcel>();
        await using var probe = await OutboxTestHosts.ProbeAsync("requeue-probe", infrastructure, deliveries);
        var (ids, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 1);
        var id = ids.Single();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            // As a row set aside while, say, its payload could not be read by the version that tried it.
            await connection.ExecuteAsync(
                "update outbox_messages set dead_lettered_at = now(), attempts = @MaxAttempts, last_error = 'unreadable payload' where id = @id",
                new { id, MaxAttempts });
        }

        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying()))
        {
            await Task.Delay(Settle);
            Assert.Empty(deliveries.Of(id));

            // The README's query for ops.
            await using (var connection = await dataSource.OpenConnectionAsync())
            {
                await connection.ExecuteAsync("update outbox_messages set dead_lettered_at = null, attempts = 0 where id = @id", new { id });
            }

            await deliveries.WaitForAllAsync(ids, Timeout);
        }

        Assert.Empty(await DeadLettersAsync(dataSource));
    }

    private static async Task<IReadOnlyList<(Guid Id, int Attempts, string? LastError)>> DeadLettersAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<(Guid, int, string?)>(
            "select id, attempts, last_error from outbox_messages where dead_lettered_at is not null and published_at is null")];
    }

    private static async Task<(int Attempts, string? LastError, bool DeadLettered, bool Published)> StateOfAsync(NpgsqlDataSource dataSource, Guid id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(int, string?, bool, bool)>(
            "select attempts, last_error, dead_lettered_at is not null, published_at is not null from outbox_messages where id = @id",
            new { id });
    }

    private static OutboxOptions Relaying() => new() { BatchSize = 1, PollInterval = TimeSpan.FromMilliseconds(100), MaxAttempts = MaxAttempts };
}
