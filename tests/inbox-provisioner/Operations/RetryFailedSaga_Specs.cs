using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Operations;

/// <summary>Ops re-driving a Failed saga once what made it fail is fixed.</summary>
public sealed class RetryFailedSaga_Specs(ProvisionerFixture fixture) : IClassFixture<ProvisionerFixture>, IAsyncLifetime
{
    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task DisposeAsync() => fixture.AgentMail.ClearFaultsAsync();

    /// <summary>The retry starts over from the inbox step and ends Ready, the failure kept in the history.</summary>
    [Fact]
    public async Task Should_start_a_failed_saga_over_and_end_ready()
    {
        await fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 422, ["times"] = 1 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await fixture.PublishAsync(order);
        await fixture.Outcomes.FailedAsync(order.OrderId);

        var retried = await fixture.Client.PostAsync($"/provisioning/{order.OrderId}/retry", null);
        var ready = await fixture.Outcomes.ReadyAfterFailureAsync(order.OrderId);

        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Single(await fixture.AgentMail.InboxesOfAsync(order.UserId));
        var saga = await fixture.SagaAsync(order.OrderId);
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
        await fixture.PublishAsync(order);
        await fixture.Outcomes.ReadyAsync(order.OrderId);

        var conflict = await fixture.Client.PostAsync($"/provisioning/{order.OrderId}/retry", null);
        var unknown = await fixture.Client.PostAsync($"/provisioning/{Guid.NewGuid()}/retry", null);

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("Ready", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
