using Microsoft.Extensions.DependencyInjection;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.InboxProvisioner.Watch;

namespace OrdersMail.InboxProvisioner.Tests.Watch;

/// <summary>
/// More customers differ than one look examines: those whose inbox AgentMail still has (their mail arrives unseen) come
/// before those whose inbox is gone, however many of those there are.
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
}
