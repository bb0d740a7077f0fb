using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Operations;

/// <summary>Ops deleting a customer's inbox: its webhook goes first, then the inbox.</summary>
public sealed class Teardown_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    /// <summary>Both are gone from AgentMail, and the customer from the provisioner.</summary>
    [Fact]
    public async Task Should_delete_the_webhook_and_the_inbox()
    {
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(order);
        var ready = await Fixture.Outcomes.ReadyAsync(order.OrderId);

        var response = await Fixture.Client.DeleteAsync($"/provisioning/customers/{order.UserId}/inbox");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await Fixture.AgentMail.InboxesOfAsync(order.UserId));
        Assert.Empty(await Fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Equal(HttpStatusCode.NotFound, (await Fixture.Client.GetAsync($"/provisioning/customers/{order.UserId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Fixture.Client.DeleteAsync($"/provisioning/customers/{order.UserId}/inbox")).StatusCode);
    }

    /// <summary>The inbox's deletion failing: the webhook is already gone, and running the teardown again finishes it.</summary>
    [Fact]
    public async Task Should_delete_the_webhook_first_and_finish_when_run_again()
    {
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(order);
        var ready = await Fixture.Outcomes.ReadyAsync(order.OrderId);
        await Fixture.AgentMail.FaultAsync("inboxes.delete", new JsonObject { ["error_status"] = 403 });

        var refused = await Fixture.Client.DeleteAsync($"/provisioning/customers/{order.UserId}/inbox");

        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Empty(await Fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Single(await Fixture.AgentMail.InboxesOfAsync(order.UserId));

        await Fixture.AgentMail.ClearFaultsAsync();
        var finished = await Fixture.Client.DeleteAsync($"/provisioning/customers/{order.UserId}/inbox");

        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.Empty(await Fixture.AgentMail.InboxesOfAsync(order.UserId));
    }

    /// <summary>
    /// The customer torn down orders again while AgentMail answers a create under a deleted inbox's client_id with that
    /// deleted inbox (the worst its documentation allows): they get a new, live inbox under the next generation's
    /// client_id, not the dead one, whose stamp would answer 404 on every order of theirs; their next order keeps it.
    /// </summary>
    [Fact]
    public async Task Should_give_a_customer_torn_down_a_new_live_inbox_when_they_order_again_though_AgentMail_replays_the_deleted_one()
    {
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(order);
        await Fixture.Outcomes.ReadyAsync(order.OrderId);
        (await Fixture.Client.DeleteAsync($"/provisioning/customers/{order.UserId}/inbox")).EnsureSuccessStatusCode();
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["replay_deleted"] = true });

        var again = ProvisionerFixture.Order(order.UserId);
        await Fixture.PublishAsync(again);
        var againReady = await Fixture.Outcomes.ReadyAsync(again.OrderId);
        var latest = ProvisionerFixture.Order(order.UserId);
        await Fixture.PublishAsync(latest);
        var latestReady = await Fixture.Outcomes.ReadyAsync(latest.OrderId);

        var inbox = Assert.Single(await Fixture.AgentMail.InboxesOfAsync(order.UserId));
        Assert.Equal(againReady.InboxId, inbox["inbox_id"]!.GetValue<string>());
        Assert.Equal(againReady.InboxId, latestReady.InboxId);
        Assert.Equal($"inbox1-{order.UserId}", inbox["client_id"]!.GetValue<string>());
        Assert.Equal(latest.OrderRef, inbox["metadata"]!["order_ref"]!.GetValue<string>());
        Assert.Equal(latestReady.WebhookId, Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(againReady.InboxId))["webhook_id"]!.GetValue<string>());
    }
}
