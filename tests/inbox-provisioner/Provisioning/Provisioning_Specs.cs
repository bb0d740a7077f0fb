using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>An order's customer gets one inbox stamped with the order, and one webhook scoped to that inbox alone, read back.</summary>
public sealed class Provisioning_Specs(ProvisionerFixture fixture) : IClassFixture<ProvisionerFixture>
{
    /// <summary>The happy path, checked against what the sandbox stores rather than what the saga says.</summary>
    [Fact]
    public async Task Should_publish_InboxReady_with_the_inbox_and_webhook_as_AgentMail_stores_them()
    {
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser(), email: "Jane.Buyer+orders@acme.example");

        await fixture.PublishAsync(order);
        var ready = await fixture.Outcomes.ReadyAsync(order.OrderId);

        Assert.Equal(order.OrderRef, ready.OrderRef);
        Assert.Equal(order.UserId, ready.UserId);
        Assert.Equal(ready.InboxId, ready.InboxAddress);
        var inbox = Assert.Single(await fixture.AgentMail.InboxesOfAsync(order.UserId));
        Assert.Equal(ready.InboxId, inbox["inbox_id"]!.GetValue<string>());
        Assert.StartsWith("jane.buyer-orders", ready.InboxId, StringComparison.Ordinal);
        Assert.Equal(order.OrderRef, inbox["metadata"]!["order_ref"]!.GetValue<string>());
        Assert.Equal($"inbox-{order.UserId}", inbox["client_id"]!.GetValue<string>());
        Assert.Equal("Orders", inbox["display_name"]!.GetValue<string>());

        var webhook = Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Equal(ready.WebhookId, webhook["webhook_id"]!.GetValue<string>());
        Assert.Equal([ready.InboxId], SandboxAgentMail.InboxIds(webhook));
        Assert.Equal(["message.bounced", "message.complained", "message.delivered", "message.received", "message.received.spam", "message.received.unauthenticated", "message.rejected", "message.sent"], SandboxAgentMail.EventTypes(webhook).Order());
        Assert.Equal(ProvisionerFactory.WebhookUrl, webhook["url"]!.GetValue<string>());
        Assert.True(webhook["enabled"]!.GetValue<bool>());
    }

    /// <summary>
    /// An inbox an older build named after its customer (the customer's own name on the shop's answers to them) gets
    /// the shop's name at the customer's next order, in the PATCH that re-stamps it.
    /// </summary>
    [Fact]
    public async Task Should_rename_an_inbox_named_after_its_customer_at_their_next_order()
    {
        var user = ProvisionerFixture.NewUser();
        var first = ProvisionerFixture.Order(user, DateTimeOffset.UtcNow.AddMinutes(-1));
        await fixture.PublishAsync(first);
        var ready = await fixture.Outcomes.ReadyAsync(first.OrderId);
        await fixture.AgentMail.UpdateInboxAsync(ready.InboxId, new JsonObject { ["display_name"] = "Jane Buyer" });

        var next = ProvisionerFixture.Order(user);
        await fixture.PublishAsync(next);
        await fixture.Outcomes.ReadyAsync(next.OrderId);

        var inbox = (await fixture.AgentMail.InboxAsync(ready.InboxId))!;
        Assert.Equal("Orders", inbox["display_name"]!.GetValue<string>());
        Assert.Equal(next.OrderRef, inbox["metadata"]!["order_ref"]!.GetValue<string>());
    }

    /// <summary>Ops see the saga: its state, each step's outcome and the history.</summary>
    [Fact]
    public async Task Should_show_the_saga_its_steps_and_history_to_ops()
    {
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await fixture.PublishAsync(order);
        var ready = await fixture.Outcomes.ReadyAsync(order.OrderId);
        var saga = await fixture.SagaAsync(order.OrderId);

        Assert.Equal("Ready", saga.State);
        Assert.Equal(ready.InboxId, saga.InboxId);
        Assert.Equal(ready.WebhookId, saga.WebhookId);
        Assert.Equal("created", saga.Steps["inbox"]);
        Assert.Equal("created", saga.Steps["webhook"]);
        Assert.Equal("verified", saga.Steps["reconcile"]);
        Assert.Equal(["order", "inbox", "webhook", "reconcile"], saga.History.Select(h => h.Step));
        Assert.NotNull(saga.FinishedAt);
    }

    /// <summary>
    /// A webhook AgentMail stores as asked for is proven by the inbox step's own read-back: AgentMail is read once
    /// per time the inbox step was asked (a rule of the sandbox that matches every read of a webhook counts them down;
    /// on busy cores the sweeper may ask a slow step again), so neither the webhook step nor the reconcile step ran.
    /// </summary>
    [Fact]
    public async Task Should_read_a_webhook_stored_as_asked_for_back_once()
    {
        var reads = await fixture.AgentMail.FaultAsync("webhooks.get", new JsonObject { ["latency_ms"] = 1, ["times"] = 5 });
        try
        {
            var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

            await fixture.PublishAsync(order);
            await fixture.Outcomes.ReadyAsync(order.OrderId);
            var saga = await fixture.SagaAsync(order.OrderId);

            var inboxResumes = saga.History.Count(h => h.Step == "resume" && h.Detail?.StartsWith("inbox", StringComparison.Ordinal) == true);
            Assert.Equal(1 + inboxResumes, 5 - await fixture.AgentMail.RemainingAsync(reads));
            Assert.Equal(["created"], saga.History.Where(h => h.Step == "webhook").Select(h => h.Outcome));
            Assert.Equal(["verified"], saga.History.Where(h => h.Step == "reconcile").Select(h => h.Outcome));
        }
        finally
        {
            await fixture.AgentMail.RemoveFaultAsync(reads);
        }
    }

    /// <summary>The same OrderCreated delivered three times: one inbox, one webhook, one InboxReady.</summary>
    [Fact]
    public async Task Should_make_one_inbox_and_one_webhook_when_OrderCreated_arrives_three_times()
    {
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Task.WhenAll(fixture.PublishAsync(order), fixture.PublishAsync(order), fixture.PublishAsync(order));
        var ready = await fixture.Outcomes.ReadyAsync(order.OrderId);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Single(await fixture.AgentMail.InboxesOfAsync(order.UserId));
        Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));

        // The copies that lose the race to begin the saga are retried, look delivered again and ask the inbox step again
        // (a helper's run saw InboxReady twice): announcing the outcome twice is allowed, as every consumer applies it
        // once per order, provided every announcement says the same.
        Assert.All(fixture.Outcomes.Ready.Where(r => r.OrderId == order.OrderId), r => Assert.Equal((ready.InboxId, ready.WebhookId), (r.InboxId, r.WebhookId)));
        Assert.DoesNotContain(fixture.Outcomes.Failed, f => f.OrderId == order.OrderId);
    }

    /// <summary>Two customers whose addresses share a local part: the second's readable username is taken, so it gets another.</summary>
    [Fact]
    public async Task Should_pick_another_username_when_the_wanted_one_is_taken()
    {
        var local = $"sam{Guid.NewGuid():N}"[..20];
        var first = ProvisionerFixture.Order(ProvisionerFixture.NewUser(), email: $"{local}@one.example");
        var second = ProvisionerFixture.Order(ProvisionerFixture.NewUser(), email: $"{local}@two.example");

        await fixture.PublishAsync(first);
        var firstReady = await fixture.Outcomes.ReadyAsync(first.OrderId);
        await fixture.PublishAsync(second);
        var secondReady = await fixture.Outcomes.ReadyAsync(second.OrderId);

        Assert.StartsWith($"{local}@", firstReady.InboxId, StringComparison.Ordinal);
        Assert.StartsWith($"{local}-", secondReady.InboxId, StringComparison.Ordinal);
        Assert.Single(await fixture.AgentMail.InboxesOfAsync(second.UserId));
    }
}
