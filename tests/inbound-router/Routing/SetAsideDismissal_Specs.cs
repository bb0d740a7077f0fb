using System.Net;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// Dismissing a set-aside event recounted the set-aside gauge on a second connection while it still held its first:
/// as many dismissals at once as the pool has connections (ops running <c>xargs -P 8 curl</c> against pools of 8) each
/// waited for a ninth, every dismissal took the count's 5 s, the gauge stayed stale, and the ingress's writers found no
/// connection meanwhile. A pool of one plays it with a single dismissal.
/// </summary>
public sealed class SetAsideDismissal_Specs : IAsyncLifetime
{
    private const string SetAsideGauge = "ordersmail.inbound.set_aside";

    private readonly RouterWorld _world = new(new Dictionary<string, string?> { ["Postgres:MaxPoolSize"] = "1" });

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task When_its_pool_has_one_connection_Should_dismiss_a_set_aside_event_at_once_and_count_it_gone()
    {
        var inbox = await _world.ProvisionAsync("ORD-DISMISS-POOL");
        var unreadable = ReceivedEvents.With(ReceivedEvents.For(inbox.InboxId), e =>
        {
            e["event_id"] = "evt_dismiss_pool";
            e["message"]!.AsObject().Remove("from");
        });
        Assert.Equal(HttpStatusCode.Accepted, (await _world.PostSignedAsync(unreadable, inbox.Secret, "msg_dismiss_pool")).StatusCode);
        using var gauge = new ServiceInstruments(_world.Router.Services, SetAsideGauge);
        Assert.Equal(1, gauge.Observe()[""]);

        using var dismissed = await _world.Client.PostAsync("/routing/set-aside/msg_dismiss_pool/dismiss", null);

        // The old dismissal answered too, after the count's 5 s, its gauge left stale: the count, not a clock, tells them apart.
        Assert.Equal(HttpStatusCode.NoContent, dismissed.StatusCode);
        Assert.Equal(0, gauge.Observe()[""]);
    }
}
