using Dapper;
using OrdersMail.Contracts.Inbound;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// The ingress records each received email claimed by its own pump and hands it over in memory, within the room the
/// pump has (here four emails: batches of one, one loop); the rest are recorded unclaimed and claimed by the pump.
/// Either way every email is routed once, under the one attempt its claim counted, and nothing stays claimed.
/// </summary>
public sealed class HandOff_Specs : IAsyncLifetime
{
    private readonly RouterWorld _world = new(new Dictionary<string, string?>
    {
        ["InboundRouter:Routing:BatchSize"] = "1",
        ["InboundRouter:Routing:Batches"] = "1",
    });

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task When_customers_email_at_once_Should_route_each_email_the_ingress_recorded_once_under_one_attempt()
    {
        var orderId = Guid.NewGuid();
        var (inboxId, webhookId, _) = await _world.ProvisionReadyAsync(orderId, "ORD-HANDOFF", "user_handoff");

        var messageIds = await Task.WhenAll(Enumerable.Range(0, 24).Select(n =>
            _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject = $"Question {n}", text = "Where is it?" })));

        var routed = await _world.WaitForAsync<InboundMessageRouted>(_ => true, count: messageIds.Length);
        await Task.Delay(500);
        routed = await _world.OutboxAsync<InboundMessageRouted>();
        Assert.Equal(messageIds.Order(), routed.Select(r => r.GetProperty("messageId").GetString()!).Order());
        Assert.All(routed, r => Assert.Equal(orderId, r.GetProperty("orderId").GetGuid()));
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(int Attempts, bool Routed, bool Claimed)>(
            "select route_attempts, routed_at is not null and email is null, claimed_until is not null from inbound.received_events")).ToList();
        Assert.Equal(messageIds.Length, rows.Count);
        Assert.All(rows, row => Assert.Equal((1, true, false), row));
    }
}
