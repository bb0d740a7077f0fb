using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Testing;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>Rows the relay can never publish, over the real database and broker: set aside, and the rows behind them go out.</summary>
public sealed class OutboxDeadLetter_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private const int MaxAttempts = 3;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Several polls: a dead letter tried again would have its attempts raised by then.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task When_rows_fail_through_their_own_fault_MaxAttempts_times_Should_set_them_aside_and_publish_the_newer_rows()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure);
        var deliveries = new MessageDeliveries<Parcel>();
        await using var probe = await OutboxTestHosts.ProbeAsync("dead-letter-probe", infrastructure, deliveries);
        using var listener = new OutboxMeterListener(probe.Service.Name);

        // The two oldest rows: a type the relay cannot resolve, and a type it knows whose payload is no message at all.
        var (unknownType, unreadable) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                insert into outbox_messages (id, message_type, payload, created_at) values
                    (@unknownType, 'OrdersMail.Contracts.Future', '{}', now() - interval '2 minutes'),
                    (@unreadable, @parcel, '["not", "an", "object"]', now() - interval '1 minute')
                """,
                new { unknownType, unreadable, parcel = typeof(Parcel).FullName });
        }

        var (ids, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 3);

        // One row per batch: until the two are set aside, every batch is one of them and nothing newer goes out.
        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying()))
        {
            await deliveries.WaitForAllAsync(ids, Timeout);
            await Eventually.Until(
                () => Task.FromResult((Pending: listener.Observe(OutboxMetrics.Pending), DeadLetters: listener.Observe(OutboxMetrics.DeadLetters))),
                seen => seen.Pending == 0 && seen.DeadLetters == 2,
                Timeout,
                "the gauges to report nothing pending and two dead letters");

            // Rows written after the dead letters go out too, and the dead letters are not tried again.
            var (later, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 2);
            await deliveries.WaitForAllAsync(later, Timeout);
            await Task.Delay(Settle);
        }

        Assert.Equal(2, listener.DeadLettered);
        var letters = (await DeadLettersAsync(dataSource)).ToDictionary(l => l.Id);
        Assert.Equal(new HashSet<Guid> { unknownType, unreadable }, letters.Keys.ToHashSet());
        Assert.All(letters.Values, l => Assert.Equal(MaxAttempts, l.Attempts));
        Assert.Contains("unknown message type OrdersMail.Contracts.Future", letters[unknownType].LastError, StringComparison.Ordinal);
        Assert.Equal("unreadable payload: a JSON Array, not an object", letters[unreadable].LastError);
        Assert.Empty(deliveries.Of(unknownType));
        Assert.Empty(deliveries.Of(unreadable));
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
            // As a row set aside while, say, its type was unknown to the replica that tried it.
            await connection.ExecuteAsync(
                "update outbox_messages set dead_lettered_at = now(), attempts = @MaxAttempts, last_error = 'unknown message type' where id = @id",
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

    private static OutboxOptions Relaying() => new() { BatchSize = 1, PollInterval = TimeSpan.FromMilliseconds(100), MaxAttempts = MaxAttempts };
}
