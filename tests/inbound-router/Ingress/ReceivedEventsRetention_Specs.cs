using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Housekeeping;
using OrdersMail.InboundRouter.Tests.Support;

namespace OrdersMail.InboundRouter.Tests.Ingress;

/// <summary>
/// <c>received_events</c> is the ingress's dedupe memory: the retention sweep deletes what is older than the retention
/// period (<c>InboundRouter:Retention:KeepFor</c>, 7 days), well past Svix's last retry, and keeps the rest, and
/// whatever is set aside for a person for <c>InboundRouter:Routing:UnattendedKeepFor</c> (30 days).
/// </summary>
public sealed class ReceivedEventsRetention_Specs : IAsyncLifetime
{
    private readonly RouterWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_delete_received_events_past_the_retention_period_and_keep_younger_ones_and_any_not_routed_yet()
    {
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                insert into inbound.received_events (svix_id, event_id, inbox_id, event_type, received_at) values
                    ('msg_old', 'evt_old', 'inbox_a', 'message.received', now() - interval '8 days'),
                    ('msg_retried_late', 'evt_retried_late', 'inbox_a', 'message.received', now() - interval '2 days'),
                    ('msg_new', 'evt_new', 'inbox_a', 'message.delivered', now())
                """);

            // An email as old, still waiting for routing (claimed by a pump at work, so the router's own leaves it alone).
            await connection.ExecuteAsync(
                """
                insert into inbound.received_events (svix_id, event_id, inbox_id, event_type, received_at, email, claimed_until) values
                    ('msg_old_unrouted', 'evt_old_unrouted', 'inbox_a', 'message.received', now() - interval '8 days', '{}', now() + interval '1 hour')
                """);
        }

        await _world.Router.Services.GetRequiredService<RetentionSweep>().SweepOnceAsync(CancellationToken.None);

        Assert.Equal(["msg_new", "msg_old_unrouted", "msg_retried_late"], await LeftAsync());
    }

    // Both kinds wait for a person: an email routing could never decide keeps its payload, and an event the ingress
    // could not read has none (the body it came with is all the router has of it). They were kept for good, and mail
    // the router cannot read can come from anyone: now those nobody acted on go after Routing:UnattendedKeepFor.
    [Fact]
    public async Task Should_keep_rows_set_aside_for_a_person_past_the_retention_period_and_delete_those_nobody_acted_on_for_long()
    {
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                insert into inbound.received_events (svix_id, event_id, inbox_id, event_type, received_at, email, claimed_until, set_aside_reason, unreadable_event) values
                    ('msg_undecided', 'evt_undecided', 'inbox_a', 'message.received', now() - interval '20 days', '{}', 'infinity', 'its row cannot be read', null),
                    ('msg_unreadable', 'evt_unreadable', 'inbox_a', 'message.received', now() - interval '20 days', null, 'infinity', 'message.from is missing', '{}'),
                    ('msg_undecided_long_ago', 'evt_undecided_long_ago', 'inbox_a', 'message.received', now() - interval '31 days', '{}', 'infinity', 'its row cannot be read', null),
                    ('msg_unreadable_long_ago', 'evt_unreadable_long_ago', 'inbox_a', 'message.received', now() - interval '31 days', null, 'infinity', 'message.from is missing', '{}')
                """);
        }

        await _world.Router.Services.GetRequiredService<RetentionSweep>().SweepOnceAsync(CancellationToken.None);

        Assert.Equal(["msg_undecided", "msg_unreadable"], await LeftAsync());
    }

    /// <summary>
    /// A row set aside 20 days ago and dismissed today is done with today: kept the retention period from its dismissal,
    /// so dismissing it again is answered the same and a page that ended with it still pages on. Swept by when it was
    /// received, it went at the next sweep.
    /// </summary>
    [Fact]
    public async Task Should_keep_a_dismissed_row_the_retention_period_from_its_dismissal_not_from_when_it_was_received()
    {
        await using (var connection = await _world.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                insert into inbound.received_events (svix_id, event_id, inbox_id, event_type, received_at, email, claimed_until, set_aside_reason, dismissed_at) values
                    ('msg_dismissed_today', 'evt_dismissed_today', 'inbox_a', 'message.received', now() - interval '20 days', null, null, 'its row cannot be read', now()),
                    ('msg_dismissed_long_ago', 'evt_dismissed_long_ago', 'inbox_a', 'message.received', now() - interval '20 days', null, null, 'its row cannot be read', now() - interval '8 days')
                """);
        }

        await _world.Router.Services.GetRequiredService<RetentionSweep>().SweepOnceAsync(CancellationToken.None);

        Assert.Equal(["msg_dismissed_today"], await LeftAsync());
    }

    private async Task<IEnumerable<string>> LeftAsync()
    {
        await using var check = await _world.Infrastructure.Database.OpenConnectionAsync();
        return await check.QueryAsync<string>("select svix_id from inbound.received_events order by svix_id");
    }
}
