using Dapper;
using OrdersMail.Contracts.Inbound;
using OrdersMail.InboundRouter.Tests.Support;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// The routing pump's periodic scan is the safety net behind the ingress's wake-up: emails a crashed router (or another
/// replica) left claimed are routed once their claim expires, without anything waking the pump.
/// </summary>
public sealed class RoutingScan_Specs : IAsyncLifetime
{
    private readonly RouterWorld _world = new(new Dictionary<string, string?> { ["InboundRouter:Routing:ScanInterval"] = "00:00:00.200" });

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_route_emails_a_dead_pump_left_claimed_once_the_claim_expires_and_not_before()
    {
        var orderId = Guid.NewGuid();
        var (inboxId, _, _) = await _world.ProvisionAsync("ORD-LEFT");
        await _world.KnowOrderAsync("ORD-LEFT", orderId);
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var emails = Enumerable.Range(0, 4).Select(n => RouterWorld.Email(inboxId, $"<left-{n}@customer.example>")).ToList();

        await _world.RecordReceivedAsync(emails, claimedUntil: expiresAt);

        await Task.Delay(1000);
        var early = await _world.OutboxAsync<InboundMessageRouted>();
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();

        // The clock is read after the outbox: a look that a busy machine made only after the claim expired may rightly
        // see the emails routed, and proves nothing; decided_at below judges every email whenever the look came.
        var lookedBy = await connection.ExecuteScalarAsync<DateTime>("select now()");
        Assert.True(early.Count == 0 || lookedBy >= expiresAt.UtcDateTime, $"{early.Count} routed by {lookedBy:O}, before the dead pump's claim expired at {expiresAt:O}");
        var routed = await _world.WaitForAsync<InboundMessageRouted>(_ => true, count: 4);
        await Task.Delay(1000);
        Assert.Equal(emails.Select(e => e.MessageId).Order(), (await _world.OutboxAsync<InboundMessageRouted>()).Select(r => r.GetProperty("messageId").GetString()!).Order());
        Assert.All(routed, r => Assert.Equal(orderId, r.GetProperty("orderId").GetGuid()));
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("select count(*) from inbound.received_events where email is null and routed_at is not null"));
        Assert.True(await connection.ExecuteScalarAsync<DateTime>("select min(decided_at) from inbound.routed_messages") >= expiresAt.UtcDateTime, "routed before the dead pump's claim expired");
    }
}
