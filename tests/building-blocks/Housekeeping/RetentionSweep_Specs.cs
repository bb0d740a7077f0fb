using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrdersMail.BuildingBlocks.Housekeeping;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Tests.Outbox;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Housekeeping;

/// <summary>The sweep of a test service that uses the outbox and processed messages, as AddOutbox and AddProcessedMessages register it.</summary>
public sealed class RetentionSweep_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly TimeSpan Old = TimeSpan.FromDays(8);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["TestService:Retention:BatchSize"] = "100",

        // The host's relay looks once at start and not again during the spec: its rows are not for publishing.
        ["TestService:Outbox:PollInterval"] = "01:00:00",
    };

    [Fact]
    public async Task Should_delete_old_bookkeeping_in_batches_and_keep_what_is_recent_or_still_owed_to_the_bus()
    {
        await using var host = await TestServiceHost.StartAsync(
            TestServiceHost.Identity("retention-specs", typeof(RetentionSweep_Specs).Assembly),
            infrastructure,
            settings: Settings,
            services: services => services.AddOutbox(OutboxTestHosts.Messages).AddProcessedMessages());
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        var consumer = $"spec-{Guid.NewGuid():N}";
        await using var connection = await dataSource.OpenConnectionAsync();
        var oldIds = Enumerable.Range(0, 250).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in oldIds)
        {
            await connection.ExecuteAsync("insert into processed_messages (consumer, message_id, processed_at) values (@consumer, @id, now() - @Old)", new { consumer, id, Old });
        }

        var recentProcessed = Guid.NewGuid();
        await connection.ExecuteAsync("insert into processed_messages (consumer, message_id) values (@consumer, @recentProcessed)", new { consumer, recentProcessed });
        var (oldPublished, oldPending, recentPublished, oldDeadLetter) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await connection.ExecuteAsync(
            """
            insert into outbox_messages (id, message_type, payload, created_at, published_at, dead_lettered_at) values
                (@oldPublished, 'spec', '{}', now() - @Old, now() - @Old, null),
                (@oldPending, 'spec', '{}', now() - @Old, null, null),
                (@recentPublished, 'spec', '{}', now(), now(), null),
                (@oldDeadLetter, 'spec', '{}', now() - @Old, null, now() - @Old)
            """,
            new { oldPublished, oldPending, recentPublished, oldDeadLetter, Old });
        var sweep = host.Services.GetRequiredService<RetentionSweep>();

        // The host's own sweep also runs once at start, and on a busy machine that can be after the inserts above and
        // take some of these rows: the spec asserts what is left (250 old ids, more than a batch of 100, so the sweep
        // loops), not how many rows this call deleted.
        await sweep.SweepOnceAsync(CancellationToken.None);

        Assert.Equal([recentProcessed], await connection.QueryAsync<Guid>("select message_id from processed_messages where consumer = @consumer", new { consumer }));
        var outbox = (await connection.QueryAsync<Guid>("select id from outbox_messages where message_type = 'spec'")).ToHashSet();
        Assert.Equal(new HashSet<Guid> { oldPending, recentPublished, oldDeadLetter }, outbox);
    }
}
