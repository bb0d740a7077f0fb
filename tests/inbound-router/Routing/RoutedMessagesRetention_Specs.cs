using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Housekeeping;
using OrdersMail.InboundRouter.Tests.Support;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// <c>routed_messages</c> remembers that a message was decided only as long as its events can come again: the
/// retention sweep deletes decisions older than the retention period, like the <c>received_events</c> in front of them,
/// and keeps younger ones, so a table of one row per email ever received does not grow for good.
/// </summary>
public sealed class RoutedMessagesRetention_Specs : IAsyncLifetime
{
    private readonly RouterWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_delete_routing_decisions_past_the_retention_period_and_keep_younger_ones()
    {
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                insert into inbound.routed_messages (inbox_id, message_id, decided_at) values
                    ('inbox_a', '<old@customer.example>', now() - interval '8 days'),
                    ('inbox_a', '<recent@customer.example>', now() - interval '2 days'),
                    ('inbox_b', '<new@customer.example>', now())
                """);
        }

        await _world.Router.Services.GetRequiredService<RetentionSweep>().SweepOnceAsync(CancellationToken.None);

        await using var check = await _world.Infrastructure.Database.OpenConnectionAsync();
        var left = await check.QueryAsync<string>("select message_id from inbound.routed_messages order by message_id");
        Assert.Equal(["<new@customer.example>", "<recent@customer.example>"], left);
    }
}
