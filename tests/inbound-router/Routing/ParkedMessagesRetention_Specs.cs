using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Housekeeping;
using OrdersMail.InboundRouter.Tests.Support;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// <c>parked_messages</c> kept every parked message for good, each with its whole email: unauthenticated mail is parked
/// whatever it names and never leaves the list by a re-route, so anyone could grow it without end. The retention sweep
/// deletes a message routed again or dismissed the retention period after (7 days), and one nobody acted on after
/// <c>Routing:UnattendedKeepFor</c> (30 days), and keeps the rest.
/// </summary>
public sealed class ParkedMessagesRetention_Specs : IAsyncLifetime
{
    private readonly RouterWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_delete_parked_messages_done_with_past_the_retention_period_and_those_nobody_acted_on_past_their_own()
    {
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                insert into inbound.parked_messages (id, inbox_id, message_id, reason, email, parked_at, routed_at, dismissed_at)
                select gen_random_uuid(), 'inbox_a', m.message_id, 'parked', '{}', now() - m.parked::interval, now() - m.routed::interval, now() - m.dismissed::interval
                from (values
                    ('<waiting-31-days@x>', '31 days', null, null),
                    ('<waiting-8-days@x>', '8 days', null, null),
                    ('<routed-8-days-ago@x>', '40 days', '8 days', null),
                    ('<dismissed-8-days-ago@x>', '9 days', null, '8 days'),
                    ('<dismissed-2-days-ago@x>', '40 days', null, '2 days'),
                    ('<routed-now@x>', '40 days', '0 days', null)
                ) as m (message_id, parked, routed, dismissed)
                """);
        }

        await _world.Router.Services.GetRequiredService<RetentionSweep>().SweepOnceAsync(CancellationToken.None);

        await using var check = await _world.Infrastructure.Database.OpenConnectionAsync();
        var left = await check.QueryAsync<string>("select message_id from inbound.parked_messages order by message_id");
        Assert.Equal(["<dismissed-2-days-ago@x>", "<routed-now@x>", "<waiting-8-days@x>"], left);
    }
}
