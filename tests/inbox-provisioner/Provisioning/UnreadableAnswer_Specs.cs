using System.Text.Json.Nodes;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>
/// AgentMail answering a call's success in a form that cannot be read (an HTML page, a charset .NET cannot decode): the
/// call took effect, and asking again may be answered properly. The step is deferred like one AgentMail was
/// unavailable for, not retried at once by the bus and dead-lettered, and a saga that fails says why.
/// </summary>
public sealed class UnreadableAnswer_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    private const string Unreadable = "AgentMail's answer could not be read";

    /// <summary>The inbox create answered unreadable twice, then fine: the order is ready, with one inbox.</summary>
    [Theory]
    [InlineData("""{"malformed_answer":true}""")]
    [InlineData("""{"answer_charset":"x-unknown"}""")]
    public async Task Should_defer_the_inbox_step_while_its_create_is_answered_unreadable_and_complete(string fault)
    {
        var (ready, _) = await ReadyDeferredAsync("inboxes.create", fault, "inbox");

        Assert.Single(await Fixture.AgentMail.InboxesOfAsync(ready.UserId));
    }

    /// <summary>
    /// The inbox step's read-back of the webhook it created answered unreadable: the webhook rides on unverified, and
    /// the reconcile step (deferred once itself) reads it back and finds it right.
    /// </summary>
    [Theory]
    [InlineData("""{"malformed_answer":true}""")]
    [InlineData("""{"answer_charset":"x-unknown"}""")]
    public async Task Should_leave_an_unreadable_webhook_read_back_to_the_reconcile_step_and_complete(string fault)
    {
        var (_, saga) = await ReadyDeferredAsync("webhooks.get", fault, "reconcile");

        Assert.Equal(("created", "verified"), (saga.Steps["webhook"], saga.Steps["reconcile"]));
    }

    /// <summary>
    /// The inbox's stamp answered without the order_ref the step just set (the create, then the PATCH that stamps it,
    /// each answered without the inbox's metadata): not AgentMail's answer as documented, so the step is deferred saying
    /// so, not retried at once by the bus, and asked again it completes.
    /// </summary>
    [Fact]
    public async Task Should_defer_the_inbox_step_when_its_stamp_is_answered_without_the_order_ref_and_complete()
    {
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["omit_member"] = "metadata", ["times"] = 1 });
        await Fixture.AgentMail.FaultAsync("inboxes.update", new JsonObject { ["omit_member"] = "metadata", ["times"] = 1 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        await Fixture.Outcomes.ReadyAsync(order.OrderId);

        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Contains(
            saga.History,
            h => h.Step == "deferral" && h.Detail!.StartsWith("inbox", StringComparison.Ordinal) && h.Detail.Contains($"{Unreadable}: AgentMail answered the stamp", StringComparison.Ordinal));
    }

    /// <summary>The inbox create answered unreadable for good: the saga fails, its reason naming AgentMail's answer.</summary>
    [Fact]
    public async Task Should_fail_a_step_AgentMail_keeps_answering_unreadable_with_that_reason()
    {
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["malformed_answer"] = true });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        var failed = await Fixture.Outcomes.FailedAsync(order.OrderId);

        Assert.Contains("inbox step did not finish", failed.Reason, StringComparison.Ordinal);
        Assert.Contains(Unreadable, failed.Reason, StringComparison.Ordinal);
    }

    // An order provisioned while the fault (an HTML page, or a charset .NET cannot decode, for a success) took the next
    // two calls of the operation: ready, with one webhook, and its step deferred saying AgentMail's answer could not be read.
    private async Task<(InboxReady Ready, ProvisioningView Saga)> ReadyDeferredAsync(string operation, string fault, string step)
    {
        var rule = JsonNode.Parse(fault)!.AsObject();
        rule["times"] = 2;
        await Fixture.AgentMail.FaultAsync(operation, rule);
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        var ready = await Fixture.Outcomes.ReadyAsync(order.OrderId);

        Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Contains(saga.History, h => h.Step == "deferral" && h.Detail!.StartsWith(step, StringComparison.Ordinal) && h.Detail.Contains(Unreadable, StringComparison.Ordinal));
        return (ready, saga);
    }
}
