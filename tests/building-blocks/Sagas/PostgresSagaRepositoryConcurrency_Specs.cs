using OrdersMail.Testing;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Sagas;

public sealed class PostgresSagaRepositoryConcurrency_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private const int Messages = 40;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task When_many_messages_for_one_saga_arrive_at_once_Should_apply_every_one_without_losing_an_update()
    {
        await using var host = await TallyHost.StartAsync(infrastructure);
        var id = Guid.NewGuid();
        await host.PublishAllAsync([new TallyOpened(id, "contended", null, DateTimeOffset.UtcNow)]);
        await Eventually.Until(() => infrastructure.FindAsync(id), r => r is not null, Timeout, "the tally's row to be created");

        await host.PublishAllAsync(Enumerable.Range(0, Messages).Select(i => new TallyIncremented(id, $"worker-{i}", DateTimeOffset.UtcNow)));

        await Eventually.Until(async () => (await host.LoadAsync(id))?.Count, c => c >= Messages, Timeout, $"the tally to count {Messages}");
        var tally = await host.LoadAsync(id);
        Assert.NotNull(tally);
        Assert.Equal(Messages, tally.Count);
        Assert.Equal(Messages, tally.Entries.Select(e => e.By).Distinct().Count());

        var row = await infrastructure.FindAsync(id);
        Assert.NotNull(row);
        Assert.Equal(1 + Messages, row.Version);
    }

    [Fact]
    public async Task When_one_sagas_initiating_event_arrives_many_times_at_once_Should_create_one_row_and_apply_each_event_once()
    {
        await using var host = await TallyHost.StartAsync(infrastructure);
        var id = Guid.NewGuid();
        var openedAt = DateTimeOffset.UtcNow;

        await host.PublishAllAsync(Enumerable.Range(0, Messages).Select(_ => new TallyOpened(id, "raced", null, openedAt)));

        await Eventually.Until(async () => (await host.LoadAsync(id))?.Opens, o => o >= Messages, Timeout, $"the tally to be opened {Messages} times");
        var tally = await host.LoadAsync(id);
        Assert.NotNull(tally);
        Assert.Equal(Messages, tally.Opens);
        Assert.Equal("Counting", tally.CurrentState);

        var row = await infrastructure.FindAsync(id);
        Assert.NotNull(row);
        Assert.Equal(Messages, row.Version);
    }

    [Fact]
    public async Task When_initiating_events_race_for_a_saga_that_inserts_on_initial_Should_create_one_row_and_apply_each_event_once()
    {
        await using var host = await TallyHost.StartAsync(infrastructure, insertOnInitial: true);
        var id = Guid.NewGuid();
        var openedAt = DateTimeOffset.UtcNow;

        await host.PublishAllAsync(Enumerable.Range(0, Messages).Select(_ => new TallyOpened(id, "inserted first", null, openedAt)));

        await Eventually.Until(async () => (await host.LoadAsync(id))?.Opens, o => o >= Messages, Timeout, $"the tally to be opened {Messages} times");
        var tally = await host.LoadAsync(id);
        Assert.NotNull(tally);
        Assert.Equal(Messages, tally.Opens);
        Assert.Equal("inserted first", tally.Title);

        // The first event inserts the row (version 1) and then updates it like every later one: one version per event.
        var row = await infrastructure.FindAsync(id);
        Assert.NotNull(row);
        Assert.Equal("Counting", row.CurrentState);
        Assert.Equal(1 + Messages, row.Version);
    }
}
