using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.Contracts.Orders;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.InboxProvisioner.Watch;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>
/// A customer's inbox deleted outside the provisioner (AgentMail's console, its API), and its address then given to
/// another customer: the provisioner's record of the first customer is stale. Neither customer may be stamped onto
/// the other's inbox, whose mail would then be routed to the wrong order, and neither customer's orders may fail.
/// </summary>
public sealed class InboxDeletedElsewhere_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    /// <summary>
    /// The new holder of the address is provisioned with it; the former holder's next order gets them a new inbox of
    /// their own, and the other customer's inbox keeps its stamp. The same when AgentMail answers a create under the
    /// deleted inbox's client_id with that deleted inbox: the former holder never stamps the new holder's with their order.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_give_each_customer_the_inbox_AgentMail_keeps_for_them_when_an_address_changed_hands(bool agentMailReplaysDeleted)
    {
        var email = $"shared{Guid.NewGuid().ToString("N")[..10]}@customers.example";
        var former = ProvisionerFixture.Order(ProvisionerFixture.NewUser(), email: email);
        await Fixture.PublishAsync(former);
        var formerReady = await Fixture.Outcomes.ReadyAsync(former.OrderId);
        await Fixture.AgentMail.DeleteInboxAsync(formerReady.InboxId);
        if (agentMailReplaysDeleted)
            await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["replay_deleted"] = true });

        var holder = ProvisionerFixture.Order(ProvisionerFixture.NewUser(), email: email);
        await Fixture.PublishAsync(holder);
        var holderReady = await Fixture.Outcomes.ReadyAsync(holder.OrderId);
        var again = ProvisionerFixture.Order(former.UserId, email: email);
        await Fixture.PublishAsync(again);
        var againReady = await Fixture.Outcomes.ReadyAsync(again.OrderId);

        Assert.Equal(formerReady.InboxId, holderReady.InboxId);
        Assert.NotEqual(holderReady.InboxId, againReady.InboxId);
        var taken = (await Fixture.AgentMail.InboxAsync(holderReady.InboxId))!;
        Assert.Equal(holder.UserId, taken["metadata"]!["user_id"]!.GetValue<string>());
        Assert.Equal(holder.OrderRef, taken["metadata"]!["order_ref"]!.GetValue<string>());
        Assert.Equal(holderReady.WebhookId, Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(holderReady.InboxId))["webhook_id"]!.GetValue<string>());
        Assert.Equal(holderReady.InboxId, (await CustomerAsync(holder.UserId))["inbox_id"]!.GetValue<string>());
        await AssertOwnLiveInboxAsync(again, againReady.InboxId, againReady.WebhookId);
    }

    /// <summary>Ops tearing down the former holder delete only what is theirs: the address's new inbox stays.</summary>
    [Fact]
    public async Task Should_not_delete_an_inbox_that_is_no_longer_the_customers_when_tearing_them_down()
    {
        var former = ProvisionerFixture.Order(ProvisionerFixture.NewUser(), email: $"gone{Guid.NewGuid().ToString("N")[..10]}@customers.example");
        await Fixture.PublishAsync(former);
        var ready = await Fixture.Outcomes.ReadyAsync(former.OrderId);
        await Fixture.AgentMail.DeleteInboxAsync(ready.InboxId);
        var stranger = await Fixture.AgentMail.CreateInboxAsync(ready.InboxId.Split('@')[0], $"another-app-{Guid.NewGuid():N}");

        var response = await Fixture.Client.DeleteAsync($"/provisioning/customers/{former.UserId}/inbox");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var teardown = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Null(teardown["deleted_inbox_id"]?.GetValue<string>());
        Assert.Equal(ready.WebhookId, teardown["deleted_webhook_id"]!.GetValue<string>());
        Assert.Equal(stranger["client_id"]!.GetValue<string>(), (await Fixture.AgentMail.InboxAsync(ready.InboxId))!["client_id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Fixture.Client.GetAsync($"/provisioning/customers/{former.UserId}")).StatusCode);
    }

    /// <summary>
    /// AgentMail answers a create under a deleted inbox's client_id with that deleted inbox (the worst its documentation
    /// allows), whose stamp answers 404: the customer's next order confirms it gone and gets them a new, live inbox under
    /// the next generation's client_id, instead of failing then and at every later order.
    /// </summary>
    [Fact]
    public async Task Should_give_a_customer_a_new_inbox_when_AgentMail_replays_their_deleted_one()
    {
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(order);
        var ready = await Fixture.Outcomes.ReadyAsync(order.OrderId);
        await Fixture.AgentMail.DeleteInboxAsync(ready.InboxId);
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["replay_deleted"] = true });

        var again = ProvisionerFixture.Order(order.UserId);
        await Fixture.PublishAsync(again);
        var againReady = await Fixture.Outcomes.ReadyAsync(again.OrderId);

        await AssertOwnLiveInboxAsync(again, againReady.InboxId, againReady.WebhookId);
    }

    /// <summary>
    /// The same after the webhook watch found the inbox gone and forgot it: the customer's next order asks for their
    /// inbox under the next generation's client_id, which AgentMail has nothing stored under.
    /// </summary>
    [Fact]
    public async Task Should_give_a_customer_whose_deleted_inbox_the_watch_forgot_a_new_one_though_AgentMail_replays_it()
    {
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(order);
        var ready = await Fixture.Outcomes.ReadyAsync(order.OrderId);
        await Fixture.AgentMail.DeleteInboxAsync(ready.InboxId);
        await Fixture.Provisioner!.Services.GetRequiredService<WebhookWatch>().LookAsync(CancellationToken.None);
        Assert.Null((await CustomerAsync(order.UserId))["inbox_id"]?.GetValue<string>());
        var replay = await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["replay_deleted"] = true });

        var again = ProvisionerFixture.Order(order.UserId);
        await Fixture.PublishAsync(again);
        var againReady = await Fixture.Outcomes.ReadyAsync(again.OrderId);

        await AssertOwnLiveInboxAsync(again, againReady.InboxId, againReady.WebhookId);
        Assert.Equal(0, await Fixture.AgentMail.AppliedAsync(replay));
    }

    // The customer's one live inbox is the one recorded, under their second generation's client_id, stamped with the
    // order and fed by its webhook alone.
    private async Task AssertOwnLiveInboxAsync(OrderCreated order, string inboxId, string webhookId)
    {
        var inbox = Assert.Single(await Fixture.AgentMail.InboxesOfAsync(order.UserId));
        Assert.Equal(inboxId, inbox["inbox_id"]!.GetValue<string>());
        Assert.Equal($"inbox1-{order.UserId}", inbox["client_id"]!.GetValue<string>());
        Assert.Equal(order.OrderRef, inbox["metadata"]!["order_ref"]!.GetValue<string>());
        Assert.Equal(webhookId, Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(inboxId))["webhook_id"]!.GetValue<string>());
        Assert.Equal(inboxId, (await CustomerAsync(order.UserId))["inbox_id"]!.GetValue<string>());
    }

    private async Task<JsonObject> CustomerAsync(string userId) =>
        (await Fixture.Client.GetFromJsonAsync<JsonObject>($"/provisioning/customers/{Uri.EscapeDataString(userId)}"))!;
}
