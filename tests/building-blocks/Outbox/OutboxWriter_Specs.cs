using Dapper;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>The ids the outbox gives its rows, which are also the message ids consumers record.</summary>
public sealed class OutboxWriter_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    /// <summary>
    /// PostgreSQL sorts the ids of rows written later after those written earlier, so new rows land at the right edge
    /// of the outbox's key and of each consumer's processed_messages key instead of on random pages.
    /// </summary>
    [Fact]
    public async Task Should_give_ids_that_sort_in_the_order_they_were_written()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure, "outbox_writer_specs");
        var written = new List<Guid>();
        for (var batch = 0; batch < 5; batch++)
        {
            written.AddRange((await OutboxTestHosts.WritePendingAsync(dataSource, 20)).Ids);
            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        var sorted = (await connection.QueryAsync<Guid>("select id from outbox_messages where id = any(@Written) order by id", new { Written = written.ToArray() })).ToList();

        var batches = written.Chunk(20).ToList();
        Assert.Equal(written.Count, sorted.Count);
        for (var batch = 0; batch < batches.Count; batch++)
        {
            Assert.Equal(batches[batch].Order(), sorted.Skip(batch * 20).Take(20).Order());
        }
    }
}
