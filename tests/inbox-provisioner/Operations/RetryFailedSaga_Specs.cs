using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.Contracts.Orders;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Tests.Provisioning;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Http;

namespace OrdersMail.InboxProvisioner.Tests.Operations;

/// <summary>
/// Ops re-driving a Failed saga once what made it fail is fixed. The provisioner fails a stuck step at once
/// (<see cref="NoResumeFixture"/>), so a saga the sweeper fails is one sweep away.
/// </summary>
public sealed class RetryFailedSaga_Specs(NoResumeFixture fixture) : FaultInjectingSpecs<NoResumeFixture>(fixture), IClassFixture<NoResumeFixture>
{
    /// <summary>The retry starts over from the inbox step and ends Ready, the failure kept in the history.</summary>
    [Fact]
    public async Task Should_start_a_failed_saga_over_and_end_ready()
    {
        var order = await FailedOrderAsync();

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

    /// <summary>
    /// A read-back stuck until the sweeper failed the saga (AgentMail unavailable for it, as in <see cref="StuckStep_Specs"/>),
    /// over a webhook AgentMail stored without an event type: the failed run's final read-back finds it still wrong and
    /// deletes it, held at AgentMail meanwhile while ops retry, and fails after the retry was asked. The retry still
    /// ends Ready, with a webhook of its own scoped to the inbox, and the failure is announced once.
    /// </summary>
    [Fact]
    public async Task Should_end_ready_when_the_failed_runs_final_read_back_fails_after_the_retry()
    {
        await Fixture.AgentMail.FaultAsync("inbox_webhooks.create", new JsonObject { ["stored_differs"] = "missing_event_type", ["times"] = 1 });
        await Fixture.AgentMail.FaultAsync("webhooks.get", new JsonObject { ["error_status"] = 503, ["retry_after_seconds"] = 0, ["times"] = StuckStep_Specs.FirstReadBackAttempts });

        // Only the final read-back deletes: its first attempt is slow and answered 503, and the next comes after
        // Retry-After, about 3 s in all, under the retried inbox step's StepTimeout (4 s) as it waits for the lease.
        await Fixture.AgentMail.FaultAsync("webhooks.delete", new JsonObject { ["latency_ms"] = 1000, ["error_status"] = 503, ["retry_after_seconds"] = 2, ["times"] = 1 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(order);
        await Fixture.Outcomes.FailedAsync(order.OrderId);
        var failed = await Fixture.SagaAsync(order.OrderId);

        var retried = await Fixture.Client.PostAsync($"/provisioning/{order.OrderId}/retry", null);
        var ready = await Fixture.Outcomes.ReadyAfterFailureAsync(order.OrderId);

        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Single(Fixture.Outcomes.Failed, f => f.OrderId == order.OrderId);
        Assert.NotEqual(failed.WebhookId, ready.WebhookId);
        var webhook = Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Equal(ready.WebhookId, webhook["webhook_id"]!.GetValue<string>());
        Assert.Equal([ready.InboxId], SandboxAgentMail.InboxIds(webhook));
        Assert.Equal(ProvisioningStates.Ready, (await Fixture.SagaAsync(order.OrderId)).State);
    }

    /// <summary>
    /// A broker that does not take the retry (its publish waiting for a connection, while /health/serving still answers
    /// 200) is answered 503 with a problem saying so within the publish's bound, not a request left hanging; the saga
    /// stays Failed, to be retried again.
    /// </summary>
    [Fact]
    public async Task Should_answer_503_saying_the_broker_is_unavailable_when_the_retry_cannot_be_sent()
    {
        var order = await FailedOrderAsync();
        var (bus, gate) = BlockedPublishBus.Create();
        await using var provisioner = Fixture.Provisioner!.WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddSingleton(bus)));
        using var client = provisioner.CreateClient().WithOpsKey();

        // Bounded here too: the in-memory server answers a request the client gave up on only once its handler returns.
        HttpResponseMessage retried;
        try
        {
            retried = await client.PostAsync($"/provisioning/{order.OrderId}/retry", null).WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            gate.Release();
        }

        Assert.Contains("broker is unavailable", await ProblemAnswer.DetailAsync(retried, HttpStatusCode.ServiceUnavailable), StringComparison.Ordinal);
        Assert.Single(gate.Published.OfType<RetryProvisioning>(), r => r.OrderId == order.OrderId);
        Assert.Equal(ProvisioningStates.Failed, (await Fixture.SagaAsync(order.OrderId)).State);
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

    // A new customer's order whose inbox step AgentMail refused (422): its saga Failed.
    private async Task<OrderCreated> FailedOrderAsync()
    {
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 422, ["times"] = 1 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await Fixture.PublishAsync(order);
        await Fixture.Outcomes.FailedAsync(order.OrderId);
        return order;
    }
}
