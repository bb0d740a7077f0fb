using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.OrdersApi.Housekeeping;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Housekeeping;

public sealed class RetentionSweep_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private static readonly TimeSpan Old = TimeSpan.FromDays(8);

    [Fact]
    public async Task Should_delete_old_bookkeeping_in_batches_and_keep_what_is_recent_or_still_owed_to_the_bus()
    {
        var dataSource = await MigratedDataSourceAsync();
        var consumer = $"spec-{Guid.NewGuid():N}";
        await using var connection = await dataSource.OpenConnectionAsync();
        var oldIds = Enumerable.Range(0, 250).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in oldIds)
        {
            await connection.ExecuteAsync("insert into processed_messages (consumer, message_id, processed_at) values (@consumer, @id, now() - @Old)", new { consumer, id, Old });
        }

        var recentProcessed = Guid.NewGuid();
        await connection.ExecuteAsync("insert into processed_messages (consumer, message_id) values (@consumer, @recentProcessed)", new { consumer, recentProcessed });
        var (oldPublished, oldPending, recentPublished) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await connection.ExecuteAsync(
            """
            insert into outbox_messages (id, message_type, payload, created_at, published_at) values
                (@oldPublished, 'spec', '{}', now() - @Old, now() - @Old),
                (@oldPending, 'spec', '{}', now() - @Old, null),
                (@recentPublished, 'spec', '{}', now(), now())
            """,
            new { oldPublished, oldPending, recentPublished, Old });
        var sweep = new RetentionSweep(dataSource, Options.Create(new RetentionOptions { BatchSize = 100 }), TimeProvider.System, NullLogger<RetentionSweep>.Instance);

        var deleted = await sweep.SweepOnceAsync(CancellationToken.None);

        Assert.True(deleted >= 251, $"deleted {deleted}");
        Assert.Equal([recentProcessed], await connection.QueryAsync<Guid>("select message_id from processed_messages where consumer = @consumer", new { consumer }));
        var outbox = (await connection.QueryAsync<Guid>("select id from outbox_messages where message_type = 'spec'")).ToHashSet();
        Assert.Equal(new HashSet<Guid> { oldPending, recentPublished }, outbox);
    }

    private async Task<NpgsqlDataSource> MigratedDataSourceAsync()
    {
        // Starting the host migrates the schema; the sweep then runs against its own data source.
        using var client = fixture.Api.CreateClient();
        await client.GetAsync("/health/live");
        return fixture.Api.Services.GetRequiredService<NpgsqlDataSource>();
    }
}
