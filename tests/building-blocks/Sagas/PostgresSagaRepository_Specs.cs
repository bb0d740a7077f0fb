using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Sagas;
using OrdersMail.Testing;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Sagas;

public sealed class PostgresSagaRepository_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task When_an_initiating_event_arrives_Should_create_one_row_in_its_state_whose_data_round_trips()
    {
        await using var host = await TallyHost.StartAsync(infrastructure);
        var id = Guid.NewGuid();
        var openedAt = new DateTimeOffset(2026, 3, 1, 9, 30, 15, 123, TimeSpan.FromHours(2));
        var incrementedAt = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(-5));

        await host.PublishAllAsync([new TallyOpened(id, "first", null, openedAt)]);

        // The endpoint takes messages concurrently: an increment consumed before the opening commits finds no tally,
        // and a state machine drops an event no instance is there for. So the increment goes once the row is there.
        await Eventually.Until(() => infrastructure.FindAsync(id), r => r is not null, Timeout, "the tally's row to be created");
        await host.PublishAllAsync([new TallyIncremented(id, "alice", incrementedAt)]);

        var tally = await Eventually.Until(() => host.LoadAsync(id), t => t?.Count == 1, Timeout, "the tally to be opened and incremented once");
        Assert.NotNull(tally);
        Assert.Equal(id, tally.CorrelationId);
        Assert.Equal("Counting", tally.CurrentState);
        Assert.Equal("first", tally.Title);
        Assert.Null(tally.Note);
        Assert.Equal(openedAt, tally.OpenedAt);
        Assert.Equal(openedAt.Offset, tally.OpenedAt.Offset);
        Assert.Equal(incrementedAt, tally.LastIncrementedAt);
        Assert.Equal(1, tally.Opens);
        Assert.Equal([new TallyEntry("alice", incrementedAt)], tally.Entries);

        var row = await infrastructure.FindAsync(id);
        Assert.NotNull(row);
        Assert.Equal("Counting", row.CurrentState);
        Assert.Equal(2, row.Version);
        Assert.Equal("first", row.Title);
        Assert.True(row.UpdatedAt >= row.CreatedAt);
    }

    [Fact]
    public async Task When_a_row_holds_fields_this_build_does_not_know_Should_write_them_back_as_the_saga_moves_on()
    {
        await using var host = await TallyHost.StartAsync(infrastructure);
        var id = Guid.NewGuid();
        await host.PublishAllAsync([new TallyOpened(id, "upgraded", null, DateTimeOffset.UtcNow)]);
        await Eventually.Until(() => infrastructure.FindAsync(id), r => r is not null, Timeout, "the tally's row to be created");

        // As a newer build leaves the row: a field of its own on the instance and on the records it holds.
        await using (var connection = await infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                $$"""
                update {{TallyHost.Service.Schema}}.tallies
                   set data = data || '{"owner": {"team": "ops", "since": 2026}, "entries": [{"by": "bob", "at": "2026-03-01T09:00:00+00:00", "weight": 3}]}'::jsonb
                 where correlation_id = @id
                """,
                new { id });
        }

        await host.PublishAllAsync([new TallyIncremented(id, "alice", DateTimeOffset.UtcNow)]);
        var row = await Eventually.Until(() => infrastructure.FindAsync(id), r => r?.Version == 2, Timeout, "the tally to be incremented");

        using var data = JsonDocument.Parse(row!.Data);
        Assert.Equal("ops", data.RootElement.GetProperty("owner").GetProperty("team").GetString());
        Assert.Equal(2026, data.RootElement.GetProperty("owner").GetProperty("since").GetInt32());
        var entries = data.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["bob", "alice"], entries.Select(e => e.GetProperty("by").GetString()));
        Assert.Equal(3, entries[0].GetProperty("weight").GetInt32());
        Assert.Equal(1, data.RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public void When_a_saga_class_cannot_keep_fields_it_does_not_know_Should_refuse_to_store_it()
    {
        var services = new ServiceCollection();

        var refused = Assert.Throws<ArgumentException>(() => services.AddMassTransit(bus => bus.AddSaga<ForgetfulSaga>().PostgresRepository("forgetful_sagas", _ => "")));

        Assert.Contains("ForgetfulSaga must keep the fields it does not know", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_repository_projects_a_due_time_Should_write_it_to_due_at_on_insert_and_update_and_null_when_there_is_none()
    {
        await using var host = await TallyHost.StartAsync(infrastructure);
        var id = Guid.NewGuid();
        var incrementedAt = new DateTimeOffset(2026, 3, 1, 10, 0, 0, 250, TimeSpan.FromHours(-5));

        await host.PublishAllAsync([new TallyOpened(id, "due", null, DateTimeOffset.UtcNow)]);
        var opened = await Eventually.Until(() => infrastructure.FindAsync(id), r => r is not null, Timeout, "the tally's row to be created");
        await host.PublishAllAsync([new TallyIncremented(id, "alice", incrementedAt)]);
        var incremented = await Eventually.Until(() => infrastructure.FindAsync(id), r => r?.Version == 2, Timeout, "the tally to be incremented");

        Assert.Null(opened!.DueAt);
        Assert.Equal(incrementedAt.UtcDateTime, incremented!.DueAt);
    }

    [Fact]
    public async Task When_the_saga_finalizes_and_is_completed_when_finalized_Should_delete_its_row()
    {
        await using var host = await TallyHost.StartAsync(infrastructure);
        var id = Guid.NewGuid();
        await host.PublishAllAsync([new TallyOpened(id, "short-lived", "closes at once", DateTimeOffset.UtcNow)]);
        await Eventually.Until(() => infrastructure.FindAsync(id), r => r is not null, Timeout, "the tally's row to be created");

        await host.PublishAllAsync([new TallyClosed(id)]);

        await Eventually.Until(() => infrastructure.FindAsync(id), r => r is null, Timeout, "the closed tally's row to be deleted");
        Assert.Null(await host.LoadAsync(id));
    }

    [Fact]
    public async Task When_the_behaviour_throws_Should_write_nothing_to_an_existing_row_nor_create_a_new_one()
    {
        var retry = new Dictionary<string, string?>
        {
            ["Messaging:Retry:Limit"] = "1",
            ["Messaging:Retry:MinInterval"] = "00:00:00.010",
            ["Messaging:Retry:MaxInterval"] = "00:00:00.050",
        };
        await using var host = await TallyHost.StartAsync(infrastructure, retry);
        var existing = Guid.NewGuid();
        var missing = Guid.NewGuid();
        await host.PublishAllAsync([new TallyOpened(existing, "kept", "as it was", DateTimeOffset.UtcNow)]);
        var before = await Eventually.Until(() => infrastructure.FindAsync(existing), r => r is not null, Timeout, "the tally's row to be created");

        await host.PublishAllAsync([new TallyBroken(existing), new TallyBroken(missing)]);

        await Eventually.Until(
            () => infrastructure.Management.GetQueueAsync(infrastructure.VirtualHost, $"{TallyHost.Queue}_error"),
            q => q?.Messages == 2,
            Timeout,
            $"both broken messages to reach {TallyHost.Queue}_error after their retries");
        Assert.Equal(before, await infrastructure.FindAsync(existing));
        Assert.Null(await infrastructure.FindAsync(missing));
    }

    /// <summary>A saga whose class would drop a newer build's fields.</summary>
    public sealed class ForgetfulSaga : ISaga
    {
        public Guid CorrelationId { get; set; }
    }
}
