using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Testing;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Logging;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>The relay on its own, over the real database and broker: rows written straight into the outbox table.</summary>
public sealed class OutboxRelay_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Long enough for a second relay's poll to come round and for a duplicate to reach the probe, were there one.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task When_rows_are_pending_Should_publish_each_under_its_row_id_and_stamp_it()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure);
        var deliveries = new MessageDeliveries<Parcel>();
        await using var probe = await OutboxTestHosts.ProbeAsync("relay-publish-probe", infrastructure, deliveries);
        var (ids, messages) = await OutboxTestHosts.WritePendingAsync(dataSource, 3);

        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying()))
        {
            await deliveries.WaitForAllAsync(ids, Timeout);
        }

        Assert.All(ids.Zip(messages), pair => Assert.Equal([pair.Second], deliveries.Of(pair.First)));
        var stamped = await StampsAsync(dataSource, ids);
        Assert.All(stamped, row => Assert.True(row.PublishedAt is not null && row.Attempts == 1, $"{row.Id}: published {row.PublishedAt}, attempts {row.Attempts}"));
    }

    [Fact]
    public async Task When_a_row_holds_a_field_this_version_does_not_know_Should_publish_the_row_as_written()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure);
        var deliveries = new MessageDeliveries<Parcel>();
        await using var probe = await OutboxTestHosts.ProbeAsync("relay-as-written-probe", infrastructure, deliveries);
        var (id, parcelId) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            // As a newer version writes it: a field this version's Parcel has not got yet, and text beyond ASCII.
            await connection.ExecuteAsync(
                "insert into outbox_messages (id, message_type, payload) values (@id, @type, @payload::jsonb)",
                new
                {
                    id,
                    type = typeof(Parcel).FullName,
                    payload = $$"""{"id": "{{parcelId}}", "label": "Zoë's \"parcel\" ✉", "sentAt": "2026-12-05T21:00:00+00:00", "weightGrams": 1250}""",
                });
        }

        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying()))
        {
            await deliveries.WaitForAllAsync([id], Timeout);
        }

        Assert.Equal([new Parcel(parcelId, "Zoë's \"parcel\" ✉", new DateTimeOffset(2026, 12, 5, 21, 0, 0, TimeSpan.Zero))], deliveries.Of(id));
        using var envelope = JsonDocument.Parse(deliveries.BodiesOf(id).Single());
        Assert.Equal(1250, envelope.RootElement.GetProperty("message").GetProperty("weightGrams").GetInt32());
        Assert.Equal(id.ToString(), envelope.RootElement.GetProperty("messageId").GetString());
        Assert.Equal(
            ["urn:message:OrdersMail.BuildingBlocks.Tests.Outbox:Parcel"],
            envelope.RootElement.GetProperty("messageType").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task When_relaying_Should_give_the_server_nothing_to_warn_about()
    {
        const string schema = "outbox_notice_specs";
        await (await OutboxTestHosts.OutboxSchemaAsync(infrastructure, schema)).DisposeAsync();
        using var logs = new CapturedLogs();
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(infrastructure.Database.ConnectionString) { SearchPath = schema }.ConnectionString);
        builder.UseLoggerFactory(LoggerFactory.Create(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug)));
        await using var dataSource = builder.Build();
        var deliveries = new MessageDeliveries<Parcel>();
        await using var probe = await OutboxTestHosts.ProbeAsync("relay-notice-probe", infrastructure, deliveries);
        var (ids, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 3);

        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying()))
        {
            await deliveries.WaitForAllAsync(ids, Timeout);
        }

        // A claim and a stamp for every batch: a warning each (SET LOCAL outside BEGIN did) fills the server's log.
        Assert.DoesNotContain(logs.Lines, line => line.Contains("notice", StringComparison.OrdinalIgnoreCase));
        Assert.All(await StampsAsync(dataSource, ids), row => Assert.NotNull(row.PublishedAt));
    }

    [Fact]
    public async Task When_signalled_after_a_commit_Should_publish_at_once_rather_than_at_the_next_poll()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure);
        var deliveries = new MessageDeliveries<Parcel>();
        await using var probe = await OutboxTestHosts.ProbeAsync("relay-signal-probe", infrastructure, deliveries);
        var signal = new OutboxSignal();
        var (first, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 1);

        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying(pollInterval: TimeSpan.FromMinutes(10)), signal))
        {
            // Published by the relay's first pass at start; from then on it waits for a signal or the (long) poll.
            await deliveries.WaitForAllAsync(first, Timeout);

            var (second, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 1);
            signal.Notify();

            await deliveries.WaitForAllAsync(second, TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task When_two_relays_share_one_table_Should_publish_each_row_exactly_once()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure);
        var deliveries = new MessageDeliveries<Parcel>();
        await using var probe = await OutboxTestHosts.ProbeAsync("relay-pair-probe", infrastructure, deliveries);
        var (ids, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 400);

        // Small batches, so the two relays keep meeting on the same rows.
        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying(batchSize: 5)))
        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying(batchSize: 5)))
        {
            await deliveries.WaitForAllAsync(ids, Timeout);
            await Task.Delay(Settle);
        }

        var counts = deliveries.CountsOf(ids);
        Assert.Equal(ids.Count, counts.Count);
        Assert.DoesNotContain(counts, c => c.Value != 1);
        Assert.All(await StampsAsync(dataSource, ids), row => Assert.Equal(1, row.Attempts));
    }

    [Fact]
    public async Task When_a_publish_was_never_stamped_Should_publish_it_again_under_the_same_message_id()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure);
        var deliveries = new MessageDeliveries<Parcel>();
        await using var probe = await OutboxTestHosts.ProbeAsync("relay-crash-probe", infrastructure, deliveries);
        var (ids, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 1);
        var id = ids.Single();

        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying()))
        {
            await deliveries.WaitForAllAsync(ids, Timeout);
        }

        // As if the relay had crashed after the broker's confirm and before its commit.
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update outbox_messages set published_at = null where id = @id", new { id });
        }

        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying()))
        {
            await Eventually.Until(() => Task.FromResult(deliveries.Of(id).Count), n => n == 2, Timeout, "the republish to arrive");
        }

        Assert.Equal(2, deliveries.CountsOf(ids)[id]);
        Assert.Single(deliveries.Of(id).Distinct());
    }

    [Fact]
    public async Task When_a_row_cannot_be_published_Should_keep_it_pending_with_its_error_and_report_its_age_while_publishing_the_rest()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure);
        var deliveries = new MessageDeliveries<Parcel>();
        await using var probe = await OutboxTestHosts.ProbeAsync("relay-metrics-probe", infrastructure, deliveries);
        using var listener = new OutboxMeterListener(probe.Service.Name);
        await ClearPendingAsync(dataSource);
        var unpublishable = Guid.NewGuid();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            // A type this version carries, whose payload is no message.
            await connection.ExecuteAsync(
                "insert into outbox_messages (id, message_type, payload, created_at) values (@unpublishable, @parcel, '[]', now() - interval '1 minute')",
                new { unpublishable, parcel = typeof(Parcel).FullName });
        }

        var (ids, _) = await OutboxTestHosts.WritePendingAsync(dataSource, 4);

        // Far below its dead-letter threshold: this spec is about a row that is still being tried (OutboxDeadLetter_Specs: one that is not).
        await using (await RunningRelay.StartAsync(dataSource, probe, Relaying(maxAttempts: int.MaxValue)))
        {
            await deliveries.WaitForAllAsync(ids, Timeout);
            await Eventually.Until(
                () => Task.FromResult((Pending: listener.Observe(OutboxMetrics.Pending), Age: listener.Observe(OutboxMetrics.OldestPendingAge))),
                seen => seen.Pending == 1 && seen.Age >= 60_000,
                Timeout,
                "the gauges to report the one row left pending, a minute old");
        }

        Assert.Equal(4, listener.LagCount);
        Assert.InRange(listener.LagMinimum, 0, Timeout.TotalMilliseconds);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            var row = await connection.QuerySingleAsync<(DateTime? PublishedAt, int Attempts, string? LastError)>(
                "select published_at, attempts, last_error from outbox_messages where id = @unpublishable", new { unpublishable });
            Assert.Null(row.PublishedAt);
            Assert.True(row.Attempts >= 1);
            Assert.Equal("unreadable payload: a JSON Array, not an object", row.LastError);
        }

        await ClearPendingAsync(dataSource);
    }

    private static async Task ClearPendingAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("update outbox_messages set published_at = now() where published_at is null");
    }

    private static async Task<IReadOnlyList<(Guid Id, DateTime? PublishedAt, int Attempts)>> StampsAsync(NpgsqlDataSource dataSource, IReadOnlyList<Guid> ids)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<(Guid, DateTime?, int)>(
            "select id, published_at, attempts from outbox_messages where id = any(@ids)", new { ids = ids.ToArray() })];
    }

    /// <summary>The relay's options as the specs run it: a short poll so a second relay comes round quickly.</summary>
    private static OutboxOptions Relaying(int batchSize = 50, TimeSpan? pollInterval = null, int maxAttempts = 10) =>
        new() { BatchSize = batchSize, PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(200), MaxAttempts = maxAttempts };
}
