using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Operations;

/// <summary>Ops re-driving a Failed saga once what made it fail is fixed.</summary>
public sealed class RetryFailedSaga_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    /// <summary>The retry starts over from the inbox step and ends Ready, the failure kept in the history.</summary>
    [Fact]
    public async Task Should_start_a_failed_saga_over_and_end_ready()
    {
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 422, ["times"] = 1 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(order);
        await Fixture.Outcomes.FailedAsync(order.OrderId);

        var retried = await Fixture.Client.PostAsync($"/provisioning/{order.OrderId}/retry", null);
        var ready = await Fixture.Outcomes.ReadyAfterFailureAsync(order.OrderId);

        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Single(await Fixture.AgentMail.InboxesOfAsync(order.UserId));
        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Equal("Ready", saga.State);
        Assert.Null(saga.FailureReason);
        Assert.Equal(ready.WebhookId, saga.WebhookId);
        Assert.Equal(["order", "inbox", "retry", "inbox", "webhook", "reconcile"], saga.History.Select(h => h.Step));
    }

    /// <summary>Only a Failed saga can be retried; an unknown order is 404.</summary>
    [Fact]
    public async Task Should_refuse_to_retry_a_saga_that_did_not_fail()
    {
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(order);
        await Fixture.Outcomes.ReadyAsync(order.OrderId);

        var conflict = await Fixture.Client.PostAsync($"/provisioning/{order.OrderId}/retry", null);
        var unknown = await Fixture.Client.PostAsync($"/provisioning/{Guid.NewGuid()}/retry", null);

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("Ready", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
