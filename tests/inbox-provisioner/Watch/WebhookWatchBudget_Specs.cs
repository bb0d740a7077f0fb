using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.InboxProvisioner.Watch;

namespace OrdersMail.InboxProvisioner.Tests.Watch;

/// <summary>
/// More customers differ than one look examines: those whose inbox AgentMail still has (their mail arrives unseen) come
/// before those whose inbox is gone, and a webhook gone or mis-scoped before one that lacks an event type, however many
/// of those there are.
/// </summary>
public sealed class WebhookWatchBudget_Specs(SmallWatchBudgetFixture fixture) : IClassFixture<SmallWatchBudgetFixture>
{
    [Fact]
    public async Task Should_repair_customers_whose_inbox_is_there_before_looking_at_those_whose_inbox_is_gone()
    {
        var gone = await Task.WhenAll(Enumerable.Range(0, 2 * SmallWatchBudgetFixture.Budget).Select(_ => fixture.ProvisionedAsync()));
        foreach (var ready in gone)
        {
            await fixture.AgentMail.DeleteInboxAsync(ready.InboxId);
        }

        var deleted = await Task.WhenAll(Enumerable.Range(0, SmallWatchBudgetFixture.Budget).Select(_ => fixture.ProvisionedAsync()));
        foreach (var ready in deleted)
        {
            await fixture.AgentMail.DeleteWebhookAsync(ready.WebhookId);
        }

        var repaired = await fixture.Provisioner!.Services.GetRequiredService<WebhookWatch>().LookAsync(CancellationToken.None);

        Assert.Equal(SmallWatchBudgetFixture.Budget, repaired);
        foreach (var ready in deleted)
        {
            Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        }
    }

    /// <summary>
    /// A deploy that adds an event type to the flow's leaves every customer's webhook lacking it: the webhooks deleted
    /// meanwhile are still re-created at the next look, not after all the others were patched.
    /// </summary>
    [Fact]
    public async Task Should_recreate_deleted_webhooks_before_patching_those_that_only_lack_an_event_type()
    {
        var drifted = await Task.WhenAll(Enumerable.Range(0, 3 * SmallWatchBudgetFixture.Budget).Select(_ => fixture.ProvisionedAsync()));
        foreach (var ready in drifted)
        {
            await fixture.AgentMail.UpdateWebhookAsync(ready.WebhookId, new JsonObject { ["event_types"] = new JsonArray("message.received") });
        }

        var deleted = await Task.WhenAll(Enumerable.Range(0, SmallWatchBudgetFixture.Budget).Select(_ => fixture.ProvisionedAsync()));
        foreach (var ready in deleted)
        {
            await fixture.AgentMail.DeleteWebhookAsync(ready.WebhookId);
        }

        await fixture.Provisioner!.Services.GetRequiredService<WebhookWatch>().LookAsync(CancellationToken.None);

        foreach (var ready in deleted)
        {
            Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        }
    }
}
