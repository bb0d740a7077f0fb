using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>
/// A customer's inbox deleted outside the provisioner (AgentMail's console, its API), and its address then given to
/// another customer: the provisioner's record of the first customer is stale. Neither customer may be stamped onto
/// the other's inbox, whose mail would then be routed to the wrong order, and neither customer's orders may fail.
/// </summary>
public sealed class InboxDeletedElsewhere_Specs(ProvisionerFixture fixture) : IClassFixture<ProvisionerFixture>
{
    /// <summary>
    /// The new holder of the address is provisioned with it; the former holder's next order gets them a new inbox of
    /// their own, and the other customer's inbox keeps its stamp.
    /// </summary>
    [Fact]
    public async Task Should_give_each_customer_the_inbox_AgentMail_keeps_for_them_when_an_address_changed_hands()
    {
        var email = $"shared{Guid.NewGuid().ToString("N")[..10]}@customers.example";
        var former = ProvisionerFixture.Order(ProvisionerFixture.NewUser(), email: email);
        await fixture.PublishAsync(former);
        var formerReady = await fixture.Outcomes.ReadyAsync(former.OrderId);
        await fixture.AgentMail.DeleteInboxAsync(formerReady.InboxId);

        var holder = ProvisionerFixture.Order(ProvisionerFixture.NewUser(), email: email);
        await fixture.PublishAsync(holder);
        var holderReady = await fixture.Outcomes.ReadyAsync(holder.OrderId);
        var again = ProvisionerFixture.Order(former.UserId, email: email);
        await fixture.PublishAsync(again);
        var againReady = await fixture.Outcomes.ReadyAsync(again.OrderId);

        Assert.Equal(formerReady.InboxId, holderReady.InboxId);
        Assert.NotEqual(holderReady.InboxId, againReady.InboxId);
        var taken = (await fixture.AgentMail.InboxAsync(holderReady.InboxId))!;
        Assert.Equal(holder.UserId, taken["metadata"]!["user_id"]!.GetValue<string>());
        Assert.Equal(holder.OrderRef, taken["metadata"]!["order_ref"]!.GetValue<string>());
        var own = Assert.Single(await fixture.AgentMail.InboxesOfAsync(former.UserId));
        Assert.Equal(againReady.InboxId, own["inbox_id"]!.GetValue<string>());
        Assert.Equal(again.OrderRef, own["metadata"]!["order_ref"]!.GetValue<string>());
        Assert.Equal(holderReady.WebhookId, Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(holderReady.InboxId))["webhook_id"]!.GetValue<string>());
        Assert.Equal(againReady.WebhookId, Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(againReady.InboxId))["webhook_id"]!.GetValue<string>());
        Assert.Equal(againReady.InboxId, (await CustomerAsync(former.UserId))["inbox_id"]!.GetValue<string>());
        Assert.Equal(holderReady.InboxId, (await CustomerAsync(holder.UserId))["inbox_id"]!.GetValue<string>());
    }

    /// <summary>Ops tearing down the former holder delete only what is theirs: the address's new inbox stays.</summary>
    [Fact]
    public async Task Should_not_delete_an_inbox_that_is_no_longer_the_customers_when_tearing_them_down()
    {
        var former = ProvisionerFixture.Order(ProvisionerFixture.NewUser(), email: $"gone{Guid.NewGuid().ToString("N")[..10]}@customers.example");
        await fixture.PublishAsync(former);
        var ready = await fixture.Outcomes.ReadyAsync(former.OrderId);
        await fixture.AgentMail.DeleteInboxAsync(ready.InboxId);
        var stranger = await fixture.AgentMail.CreateInboxAsync(ready.InboxId.Split('@')[0], $"another-app-{Guid.NewGuid():N}");

        var response = await fixture.Client.DeleteAsync($"/provisioning/customers/{former.UserId}/inbox");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var teardown = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Null(teardown["deleted_inbox_id"]?.GetValue<string>());
        Assert.Equal(ready.WebhookId, teardown["deleted_webhook_id"]!.GetValue<string>());
        Assert.Equal(stranger["client_id"]!.GetValue<string>(), (await fixture.AgentMail.InboxAsync(ready.InboxId))!["client_id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/provisioning/customers/{former.UserId}")).StatusCode);
    }

    private async Task<JsonObject> CustomerAsync(string userId) =>
        (await fixture.Client.GetFromJsonAsync<JsonObject>($"/provisioning/customers/{Uri.EscapeDataString(userId)}"))!;
}
