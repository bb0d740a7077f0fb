using System.Text.Json.Nodes;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Webhooks;

/// <summary>
/// AgentMail storing something else than the webhook that was asked for (the sandbox's <c>stored_differs</c> fault,
/// while the POST's answer still echoes the request): the reconcile step sees it, repairs it or fails, and never
/// leaves an org-wide or mis-scoped webhook behind.
/// </summary>
public sealed class WebhookDrift_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    private const string CreateWebhook = "inbox_webhooks.create";

    /// <summary>Org-wide once: deleted at once, reported as a security event, subscribed again.</summary>
    [Fact]
    public async Task Should_delete_an_org_wide_webhook_and_subscribe_again()
    {
        await Fixture.AgentMail.FaultAsync(CreateWebhook, new JsonObject { ["stored_differs"] = "org_wide", ["times"] = 1 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        var ready = await Fixture.Outcomes.ReadyAsync(order.OrderId);

        Assert.Empty(await Fixture.AgentMail.OrgWideWebhooksAsync());
        var webhook = Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Equal([ready.InboxId], SandboxAgentMail.InboxIds(webhook));
        Assert.Equal(ready.WebhookId, webhook["webhook_id"]!.GetValue<string>());
        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Contains(saga.History, h => h.Step == "security" && h.Detail!.Contains("org-wide", StringComparison.Ordinal));
        Assert.Equal(["verified"], saga.History.Where(h => h.Step == "reconcile").Select(h => h.Outcome).Skip(1));
    }

    /// <summary>Scoped to another inbox once: re-created for this inbox alone; the other inbox gets no second webhook.</summary>
    [Fact]
    public async Task Should_recreate_a_webhook_scoped_to_another_inbox()
    {
        var bystander = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(bystander);
        var bystanderReady = await Fixture.Outcomes.ReadyAsync(bystander.OrderId);
        await Fixture.AgentMail.FaultAsync(CreateWebhook, new JsonObject { ["stored_differs"] = "other_inbox", ["times"] = 1 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        var ready = await Fixture.Outcomes.ReadyAsync(order.OrderId);

        var webhook = Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Equal([ready.InboxId], SandboxAgentMail.InboxIds(webhook));
        Assert.Equal(ready.WebhookId, webhook["webhook_id"]!.GetValue<string>());
        Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(bystanderReady.InboxId));
        Assert.Empty(await Fixture.AgentMail.OrgWideWebhooksAsync());
        Assert.Equal("verified", (await Fixture.SagaAsync(order.OrderId)).Steps["reconcile"]);
        var replaced = await Eventually.Until(
            () => Task.FromResult(Fixture.Outcomes.Replaced.Where(r => r.InboxId == ready.InboxId).ToList()),
            r => r.Count > 0,
            TimeSpan.FromSeconds(30),
            "InboxWebhookReplaced for the re-created webhook");
        var replacement = Assert.Single(replaced);
        Assert.Equal(ready.WebhookId, replacement.WebhookId);
        Assert.NotNull(replacement.ReplacedWebhookId);
        Assert.NotEqual(ready.WebhookId, replacement.ReplacedWebhookId);
        Assert.Equal(order.UserId, replacement.UserId);
    }

    /// <summary>An event type missing: patched, the same webhook kept, and read back again.</summary>
    [Fact]
    public async Task Should_patch_a_missing_event_type_and_read_it_back()
    {
        await Fixture.AgentMail.FaultAsync(CreateWebhook, new JsonObject { ["stored_differs"] = "missing_event_type", ["times"] = 1 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        var ready = await Fixture.Outcomes.ReadyAsync(order.OrderId);

        var webhook = Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Equal(new ProvisioningOptions().EventTypes.Order(StringComparer.Ordinal), SandboxAgentMail.EventTypes(webhook).Order(StringComparer.Ordinal));
        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Equal(["repaired", "verified"], saga.History.Where(h => h.Step == "reconcile").Select(h => h.Outcome));
        Assert.Equal(saga.History.Single(h => h.Step == "webhook").Detail, ready.WebhookId);
    }

    /// <summary>
    /// A customer whose webhook an older build subscribed without <c>message.received.spam</c>: their next order's
    /// reconcile patches it in, keeping the webhook.
    /// </summary>
    [Fact]
    public async Task Should_add_the_spam_event_type_to_a_customers_webhook_subscribed_without_it_at_their_next_order()
    {
        var first = await Fixture.ProvisionedAsync();
        string[] before = ["message.received", "message.received.unauthenticated", "message.sent", "message.delivered", "message.bounced", "message.complained", "message.rejected"];
        await Fixture.AgentMail.UpdateWebhookAsync(first.WebhookId, new JsonObject { ["event_types"] = new JsonArray([.. before.Select(t => JsonValue.Create(t))]) });
        var next = ProvisionerFixture.Order(first.UserId);

        await Fixture.PublishAsync(next);
        var ready = await Fixture.Outcomes.ReadyAsync(next.OrderId);

        Assert.Equal(first.WebhookId, ready.WebhookId);
        var webhook = Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Contains("message.received.spam", SandboxAgentMail.EventTypes(webhook));
        Assert.Equal(new ProvisioningOptions().EventTypes.Order(StringComparer.Ordinal), SandboxAgentMail.EventTypes(webhook).Order(StringComparer.Ordinal));
        Assert.Contains("repaired", (await Fixture.SagaAsync(next.OrderId)).History.Where(h => h.Step == "reconcile").Select(h => h.Outcome));
    }

    /// <summary>Org-wide every time: the saga fails with the reason, and no webhook of any scope is left for the inbox, nor org-wide.</summary>
    [Fact]
    public async Task Should_fail_and_leave_no_mis_scoped_webhook_when_drift_persists()
    {
        await Fixture.AgentMail.FaultAsync(CreateWebhook, new JsonObject { ["stored_differs"] = "org_wide" });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        var failed = await Fixture.Outcomes.FailedAsync(order.OrderId);

        Assert.Contains("org-wide", failed.Reason, StringComparison.Ordinal);
        Assert.Empty(await Fixture.AgentMail.OrgWideWebhooksAsync());
        var inbox = Assert.Single(await Fixture.AgentMail.InboxesOfAsync(order.UserId));
        Assert.Empty(await Fixture.AgentMail.WebhooksReachingAsync(inbox["inbox_id"]!.GetValue<string>()));
        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Equal("Failed", saga.State);
        Assert.Equal(failed.Reason, saga.FailureReason);
    }

    /// <summary>
    /// Scoped to another inbox every time (the sandbox's oldest, the bystander's or an earlier spec's): fails, and the
    /// mis-scoped webhooks are gone. The reason names the inboxes it was scoped to, for ops alone; the kind is what the
    /// customer is told of.
    /// </summary>
    [Fact]
    public async Task Should_fail_and_delete_webhooks_that_stay_scoped_to_another_inbox()
    {
        var bystander = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(bystander);
        var bystanderReady = await Fixture.Outcomes.ReadyAsync(bystander.OrderId);
        await Fixture.AgentMail.FaultAsync(CreateWebhook, new JsonObject { ["stored_differs"] = "other_inbox" });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        var failed = await Fixture.Outcomes.FailedAsync(order.OrderId);

        Assert.Equal(ProvisioningFailureKinds.WebhookMisscoped, failed.Kind);
        Assert.Matches(@"is scoped to inboxes \[[^\]]+\]", failed.Reason);
        Assert.Equal(failed.Reason, (await Fixture.SagaAsync(order.OrderId)).FailureReason);
        Assert.Empty(await Fixture.AgentMail.OrgWideWebhooksAsync());
        var bystanderWebhook = Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(bystanderReady.InboxId));
        Assert.Equal(bystanderReady.WebhookId, bystanderWebhook["webhook_id"]!.GetValue<string>());
    }
}
