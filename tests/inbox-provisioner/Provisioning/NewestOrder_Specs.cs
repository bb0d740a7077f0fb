using OrdersMail.BuildingBlocks.Health;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>A customer's orders share one inbox, whose <c>metadata.order_ref</c> ends as their newest order, whatever order the events come in.</summary>
public sealed class NewestOrder_Specs(ProvisionerFixture fixture) : IClassFixture<ProvisionerFixture>
{
    /// <summary>Two orders at once, the newer published first.</summary>
    [Fact]
    public async Task Should_stamp_the_newer_order_when_two_orders_arrive_at_once_in_reverse_order()
    {
        var user = ProvisionerFixture.NewUser();
        var older = ProvisionerFixture.Order(user, DateTimeOffset.UtcNow.AddMinutes(-5));
        var newer = ProvisionerFixture.Order(user, DateTimeOffset.UtcNow);

        await fixture.PublishAsync(newer);
        await fixture.PublishAsync(older);
        var readyNewer = await fixture.Outcomes.ReadyAsync(newer.OrderId);
        var readyOlder = await fixture.Outcomes.ReadyAsync(older.OrderId);

        Assert.Equal(readyNewer.InboxId, readyOlder.InboxId);
        Assert.Equal(readyNewer.WebhookId, readyOlder.WebhookId);
        var inbox = Assert.Single(await fixture.AgentMail.InboxesOfAsync(user));
        Assert.Equal(newer.OrderRef, inbox["metadata"]!["order_ref"]!.GetValue<string>());
        Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(readyNewer.InboxId));
    }

    /// <summary>Many orders of one customer at once: the newest wins, one inbox, one webhook.</summary>
    [Fact]
    public async Task Should_stamp_the_newest_of_many_concurrent_orders()
    {
        await Should_stamp_the_newest_of(orders: 6);
    }

    /// <summary>A later order of a customer who already has an inbox re-stamps it.</summary>
    [Fact]
    public async Task Should_restamp_the_existing_inbox_for_a_later_order()
    {
        var user = ProvisionerFixture.NewUser();
        var first = ProvisionerFixture.Order(user, DateTimeOffset.UtcNow.AddMinutes(-1));
        await fixture.PublishAsync(first);
        var firstReady = await fixture.Outcomes.ReadyAsync(first.OrderId);

        var second = ProvisionerFixture.Order(user);
        await fixture.PublishAsync(second);
        var secondReady = await fixture.Outcomes.ReadyAsync(second.OrderId);

        Assert.Equal(firstReady.InboxId, secondReady.InboxId);
        var inbox = Assert.Single(await fixture.AgentMail.InboxesOfAsync(user));
        Assert.Equal(second.OrderRef, inbox["metadata"]!["order_ref"]!.GetValue<string>());
        var saga = await fixture.SagaAsync(second.OrderId);
        Assert.Equal("existing", saga.Steps["inbox"]);
        Assert.Equal("existing", saga.Steps["webhook"]);
    }

    /// <summary>Two replicas of the provisioner sharing the queues: still one inbox and one webhook, stamped with the newest order.</summary>
    [Fact]
    public async Task Should_keep_one_inbox_and_the_newest_stamp_across_two_replicas()
    {
        await using var replica = new ProvisionerFactory(fixture.Infrastructure, fixture.Sandbox);
        using var replicaClient = replica.CreateClient().WithOpsKey();
        await Eventually.Until(() => replicaClient.GetAsync(HealthEndpoints.ReadyPath), r => r.IsSuccessStatusCode, TimeSpan.FromSeconds(30), "the second replica to report ready");

        await Should_stamp_the_newest_of(orders: 8);
    }

    // Orders of one customer, published all at once, newest first: one inbox stamped with the newest, one webhook.
    private async Task Should_stamp_the_newest_of(int orders)
    {
        var user = ProvisionerFixture.NewUser();
        var now = DateTimeOffset.UtcNow;
        var placed = Enumerable.Range(0, orders).Select(i => ProvisionerFixture.Order(user, now.AddSeconds(-i))).ToList();

        await Task.WhenAll(placed.AsEnumerable().Reverse().Select(fixture.PublishAsync));
        foreach (var order in placed)
        {
            await fixture.Outcomes.ReadyAsync(order.OrderId);
        }

        var inbox = Assert.Single(await fixture.AgentMail.InboxesOfAsync(user));
        Assert.Equal(placed[0].OrderRef, inbox["metadata"]!["order_ref"]!.GetValue<string>());
        Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(inbox["inbox_id"]!.GetValue<string>()));
    }
}
