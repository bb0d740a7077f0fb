using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Operations;

/// <summary>Ops deleting a customer's inbox: its webhook goes first, then the inbox.</summary>
public sealed class Teardown_Specs(ProvisionerFixture fixture) : IClassFixture<ProvisionerFixture>, IAsyncLifetime
{
    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task DisposeAsync() => fixture.AgentMail.ClearFaultsAsync();

    /// <summary>Both are gone from AgentMail, and the customer from the provisioner.</summary>
    [Fact]
    public async Task Should_delete_the_webhook_and_the_inbox()
    {
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await fixture.PublishAsync(order);
        var ready = await fixture.Outcomes.ReadyAsync(order.OrderId);

        var response = await fixture.Client.DeleteAsync($"/provisioning/customers/{order.UserId}/inbox");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await fixture.AgentMail.InboxesOfAsync(order.UserId));
        Assert.Empty(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/provisioning/customers/{order.UserId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.DeleteAsync($"/provisioning/customers/{order.UserId}/inbox")).StatusCode);
    }

    /// <summary>The inbox's deletion failing: the webhook is already gone, and running the teardown again finishes it.</summary>
    [Fact]
    public async Task Should_delete_the_webhook_first_and_finish_when_run_again()
    {
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await fixture.PublishAsync(order);
        var ready = await fixture.Outcomes.ReadyAsync(order.OrderId);
        await fixture.AgentMail.FaultAsync("inboxes.delete", new JsonObject { ["error_status"] = 403 });

        var refused = await fixture.Client.DeleteAsync($"/provisioning/customers/{order.UserId}/inbox");

        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Empty(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Single(await fixture.AgentMail.InboxesOfAsync(order.UserId));

        await fixture.AgentMail.ClearFaultsAsync();
        var finished = await fixture.Client.DeleteAsync($"/provisioning/customers/{order.UserId}/inbox");

        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.Empty(await fixture.AgentMail.InboxesOfAsync(order.UserId));
    }
}
