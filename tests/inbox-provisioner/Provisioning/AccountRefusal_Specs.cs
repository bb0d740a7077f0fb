using System.Text.Json.Nodes;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>
/// AgentMail refusing a step's call for the account, not the order (a key unknown or revoked, a permission the key
/// lacks: docs/agentmail.md §6): every order meets it until ops put the key right, and then each can go through. The
/// step is deferred as in an outage, within the same bounds, instead of failing at the first refusal.
/// </summary>
public sealed class AccountRefusal_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    /// <summary>
    /// Two calls of the operation refused for the account, then the key is put right: the order is ready, with one inbox
    /// and one webhook, and the inbox step, which makes every call of the order but the repairs (the webhook's create
    /// and its read-back too, under the same lease), was deferred saying what AgentMail answered. Two refusals take the
    /// step's one quick retry (StepRetries 1) and leave it to the sweeper's resume.
    /// </summary>
    [Theory]
    [InlineData("inboxes.create", 401, "unknown_api_key")]
    [InlineData("inboxes.create", 403, "missing_permission")]
    [InlineData("inbox_webhooks.create", 403, "missing_permission")]
    [InlineData("webhooks.get", 401, "unknown_api_key")]
    public async Task Should_defer_a_step_refused_for_the_account_and_complete_once_the_key_is_right(string operation, int status, string code)
    {
        await Fixture.AgentMail.FaultAsync(operation, new JsonObject { ["error_status"] = status, ["error_code"] = code, ["times"] = 2 });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        var ready = await Fixture.Outcomes.ReadyAsync(order.OrderId);

        Assert.Single(await Fixture.AgentMail.InboxesOfAsync(order.UserId));
        Assert.Single(await Fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Contains(
            saga.History,
            h => h.Step == "deferral" && h.Detail!.StartsWith("inbox", StringComparison.Ordinal) && h.Detail.Contains($"{operation} answered {status} {code}", StringComparison.Ordinal));
        Assert.DoesNotContain(saga.History, h => h.Outcome == "failed");
    }

    /// <summary>
    /// A key never put right: the step is deferred until its retries and resumes are used up, then the saga fails with a
    /// reason that names AgentMail's status and code and says the API key or its permission needs putting right.
    /// </summary>
    [Fact]
    public async Task Should_fail_a_step_refused_for_the_account_for_good_with_a_reason_naming_the_refusal()
    {
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 401, ["error_code"] = "unknown_api_key" });
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());

        await Fixture.PublishAsync(order);
        var failed = await Fixture.Outcomes.FailedAsync(order.OrderId);

        Assert.Contains("inbox step did not finish", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("401 unknown_api_key", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("API key", failed.Reason, StringComparison.Ordinal);
        Assert.Empty(await Fixture.AgentMail.InboxesOfAsync(order.UserId));
    }
}
