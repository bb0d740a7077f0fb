using System.Diagnostics;
using System.Text.Json.Nodes;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Orders;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>
/// An order whose inbox create AgentMail refused, read back from the provisioner's exported spans: the step asked again by
/// the deferred-step dispatcher or by the stuck-saga sweeper, both polls outside any trace, runs in the order's trace, as
/// does everything after it. Each poll published in a new trace of its own, linked to nothing, so a parent-based sampler
/// kept both halves of a delayed order about once in a hundred at a ratio of 0.1.
/// </summary>
public sealed class OrderTrace_Specs(TracedFixture fixture) : FaultInjectingSpecs<TracedFixture>(fixture), IClassFixture<TracedFixture>
{
    // Every attempt of one call: the client's first and its 4 retries.
    private const int ClientAttempts = 5;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Every attempt of the first inbox create is refused: the dispatcher's retry creates it, in the order's trace.</summary>
    [Fact]
    public async Task When_a_deferred_step_is_asked_again_Should_run_it_in_the_orders_trace()
    {
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 503, ["retry_after_seconds"] = 0, ["times"] = ClientAttempts });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        var orderTrace = await PlaceAsync(order);
        await Fixture.Outcomes.ReadyAsync(order.OrderId);

        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Contains(saga.History, h => h.Step == "deferral" && h.Outcome == "asked-again");
        await AssertAllInTraceAsync(order, orderTrace);
    }

    /// <summary>
    /// The inbox create is refused through its retries too, so the step is left to the sweeper: its resume creates it, in
    /// the order's trace.
    /// </summary>
    [Fact]
    public async Task When_a_stuck_saga_is_resumed_Should_run_its_step_in_the_orders_trace()
    {
        var fault = await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 503, ["retry_after_seconds"] = 0 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        var orderTrace = await PlaceAsync(order);
        await Eventually.Until(
            () => ProvisionerFixture.TrySagaAsync(order.OrderId, Fixture.Client),
            s => s?.History.Any(h => h.Step == "deferral" && h.Outcome == "left-to-sweeper") == true,
            Patience,
            "the inbox step to be left to the sweeper");
        await Fixture.AgentMail.RemoveFaultAsync(fault);
        await Fixture.Outcomes.ReadyAsync(order.OrderId);

        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Contains(saga.History, h => h.Step == "resume" && h.Outcome == "asked-again");
        await AssertAllInTraceAsync(order, orderTrace);
    }

    // Publishes the order as orders-api's relay does, from a span of a trace of its own: the order's.
    private async Task<ActivityTraceId> PlaceAsync(OrderCreated order)
    {
        var orderTrace = ActivityTraceId.CreateRandom();
        using (new Activity("order place").SetParentId(orderTrace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            await Fixture.PublishAsync(order);
        }

        return orderTrace;
    }

    // The refused inbox creates and the one that succeeded, and the webhook's subscription after it, are all the order's trace.
    private async Task AssertAllInTraceAsync(OrderCreated order, ActivityTraceId orderTrace)
    {
        var spans = await Eventually.Until(
            () => Task.FromResult<IReadOnlyList<Activity>>([.. Fixture.Spans!.Snapshot().Where(s => (string?)s.GetTagItem(OrderTags.OrderId) == order.OrderId.ToString())]),
            s => s.Count(a => a.DisplayName == "inbox create") >= 2 && s.Any(a => a.DisplayName == "webhook subscribe"),
            Patience,
            "the order's inbox creates and webhook subscription to be exported");
        Assert.All(spans, s => Assert.True(
            s.TraceId == orderTrace,
            $"'{s.DisplayName}' is in trace {s.TraceId}, not the order's {orderTrace}; the order's spans: {string.Join(", ", spans.Select(a => $"{a.DisplayName} ({a.TraceId})"))}"));
    }
}
