using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.Contracts.Inbound;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.InboundRouter.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// The routing pump takes received emails in batches (one commit for many) and reuses an inbox's order_ref read from
/// AgentMail: every email still goes to its order exactly once, even one AgentMail sent under two event ids, and a
/// re-stamped inbox's next email goes to the new order as soon as InboxReady says so.
/// </summary>
public sealed class BatchRouting_Specs : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // A long lifetime, so only InboxReady can explain a new order_ref being read.
    private readonly RouterWorld _world = new(new Dictionary<string, string?> { ["InboundRouter:Routing:OrderRefCacheFor"] = "00:10:00" });

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_route_a_burst_of_two_inboxes_emails_each_once_to_its_order_through_shared_commits_whatever_the_repeats()
    {
        var (orderA, orderB) = (Guid.NewGuid(), Guid.NewGuid());
        var inboxA = await LearntInboxAsync("ORD-BURST-A", orderA, "user_burst_a");
        var inboxB = await LearntInboxAsync("ORD-BURST-B", orderB, "user_burst_b");
        var emails = Enumerable.Range(0, 40).Select(n => RouterWorld.Email(n % 2 == 0 ? inboxA : inboxB, $"<burst-{n}@customer.example>")).ToList();

        // Each email once, the first five again under new event ids (AgentMail sending one email twice), then the pump woken once.
        await _world.RecordReceivedAsync([.. emails, .. emails.Take(5).Select(e => e with { EventId = $"evt_{Guid.NewGuid():N}" })]);
        _world.Router.Services.GetRequiredService<RoutingSignal>().Notify();

        await _world.WaitForAsync<InboundMessageRouted>(_ => true, count: 40);
        await Task.Delay(1500);
        var routed = await _world.OutboxAsync<InboundMessageRouted>();
        Assert.Equal(emails.Select(e => e.MessageId).Order(), routed.Select(r => r.GetProperty("messageId").GetString()!).Order());
        Assert.All(routed, r => Assert.Equal(r.GetProperty("inboxId").GetString() == inboxA ? orderA : orderB, r.GetProperty("orderId").GetGuid()));
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        var commits = await connection.ExecuteScalarAsync<long>("select count(distinct decided_at) from inbound.routed_messages");
        Assert.InRange(commits, 1, 39);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from inbound.received_events where email is not null or routed_at is null"));
    }

    [Fact]
    public async Task Should_route_a_restamped_inboxs_next_email_to_the_new_order_once_InboxReady_says_so()
    {
        var (oldOrder, newOrder) = (Guid.NewGuid(), Guid.NewGuid());
        var (inboxId, webhookId, _) = await _world.ProvisionReadyAsync(oldOrder, "ORD-OLD", "user_restamp");
        Assert.Equal(oldOrder, await RoutedOrderAsync(inboxId, "First"));

        // The customer ordered again: the provisioner re-stamps the inbox, then says InboxReady.
        await _world.StampAsync(inboxId, "ORD-NEW");
        await _world.PublishAsync(new InboxReady(newOrder, "ORD-NEW", "user_restamp", inboxId, inboxId, webhookId, DateTimeOffset.UtcNow));
        await Eventually.Until(() => _world.CountAsync("order_refs"), n => n == 2, Timeout, "the second InboxReady to be learnt");

        Assert.Equal(newOrder, await RoutedOrderAsync(inboxId, "Second"));
    }

    private async Task<string> LearntInboxAsync(string orderRef, Guid orderId, string userId)
    {
        var (inboxId, webhookId, _) = await _world.ProvisionAsync(orderRef);
        await _world.ReadyAsync(orderId, orderRef, userId, inboxId, webhookId);
        return inboxId;
    }

    private async Task<Guid> RoutedOrderAsync(string inboxId, string subject)
    {
        var messageId = await _world.EmailAsync(inboxId, new { from = "jane@acme.example", subject, text = "?" });
        var routed = Assert.Single(await _world.WaitForAsync<InboundMessageRouted>(r => r.GetProperty("messageId").GetString() == messageId));
        return routed.GetProperty("orderId").GetGuid();
    }
}
