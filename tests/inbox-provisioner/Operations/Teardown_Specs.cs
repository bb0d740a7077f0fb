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
}
