using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.InboxProvisioner.Watch;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Watch;

/// <summary>
/// A customer's webhook changed at AgentMail between two of their orders (its console, its API, Svix): nothing else
/// looks at it until their next order, so the watch's next look must put it right, and never leave it mis-scoped.
/// Each spec calls one look itself; the watch's own timer is minutes away.
/// </summary>
public sealed class WebhookWatch_Specs(ProvisionerFixture fixture) : IClassFixture<ProvisionerFixture>
{
    private static readonly string[] WantedEventTypes =
        ["message.bounced", "message.complained", "message.delivered", "message.received", "message.received.spam", "message.received.unauthenticated", "message.rejected", "message.sent"];

    private WebhookWatch Watch => fixture.Provisioner!.Services.GetRequiredService<WebhookWatch>();

    /// <summary>
    /// Deleted: subscribed again for the inbox alone, recorded, and announced as a replacement of the old one. Ops ask
    /// for the look here (after an incident at AgentMail, say) instead of waiting for the next.
    /// </summary>
    [Fact]
    public async Task Should_subscribe_again_an_inbox_whose_webhook_was_deleted_and_announce_the_replacement()
    {
        var ready = await fixture.ProvisionedAsync();
        await fixture.AgentMail.DeleteWebhookAsync(ready.WebhookId);

        using var look = await fixture.Client.PostAsync("/provisioning/webhook-watch", null);

        look.EnsureSuccessStatusCode();
        Assert.True((await look.Content.ReadFromJsonAsync<JsonObject>())!["repaired"]!.GetValue<int>() >= 1);

        var webhook = Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        var webhookId = webhook["webhook_id"]!.GetValue<string>();
        Assert.NotEqual(ready.WebhookId, webhookId);
        Assert.Equal([ready.InboxId], SandboxAgentMail.InboxIds(webhook));
        Assert.Equal(webhookId, (await CustomerAsync(ready.UserId))["webhook_id"]!.GetValue<string>());
        var replaced = await Eventually.Until(
            () => Task.FromResult(fixture.Outcomes.Replaced.Where(r => r.InboxId == ready.InboxId).ToList()),
            r => r.Count > 0,
            TimeSpan.FromSeconds(30),
            "InboxWebhookReplaced for the re-subscribed inbox");
        var replacement = Assert.Single(replaced);
        Assert.Equal((webhookId, ready.WebhookId, ready.UserId), (replacement.WebhookId, replacement.ReplacedWebhookId, replacement.UserId));
    }

    /// <summary>Event types changed: patched back in place; the same webhook feeds the inbox, so nothing is announced.</summary>
    [Fact]
    public async Task Should_put_back_changed_event_types_keeping_the_webhook()
    {
        var ready = await fixture.ProvisionedAsync();
        await fixture.AgentMail.UpdateWebhookAsync(ready.WebhookId, new JsonObject { ["event_types"] = new JsonArray("message.received") });

        Assert.True(await Watch.LookAsync(CancellationToken.None) >= 1);

        var webhook = Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Equal(ready.WebhookId, webhook["webhook_id"]!.GetValue<string>());
        Assert.Equal(WantedEventTypes, SandboxAgentMail.EventTypes(webhook).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(fixture.Outcomes.Replaced, r => r.InboxId == ready.InboxId);
    }

    /// <summary>
    /// Subscribed by a build before spam mail was taken (the seven other types): on deploy, the watch's next look patches
    /// <c>message.received.spam</c> into every such webhook in place, so AgentMail stops dropping a customer's mail its
    /// filter misjudges; the same webhook and secret feed the inbox, so nothing is announced.
    /// </summary>
    [Fact]
    public async Task Should_add_the_spam_event_type_to_a_webhook_subscribed_without_it_keeping_the_webhook()
    {
        var ready = await fixture.ProvisionedAsync();
        string[] before = ["message.received", "message.received.unauthenticated", "message.sent", "message.delivered", "message.bounced", "message.complained", "message.rejected"];
        await fixture.AgentMail.UpdateWebhookAsync(ready.WebhookId, new JsonObject { ["event_types"] = new JsonArray([.. before.Select(t => JsonValue.Create(t))]) });

        Assert.True(await Watch.LookAsync(CancellationToken.None) >= 1);

        var webhook = Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Equal(ready.WebhookId, webhook["webhook_id"]!.GetValue<string>());
        Assert.Contains("message.received.spam", SandboxAgentMail.EventTypes(webhook));
        Assert.Equal(WantedEventTypes, SandboxAgentMail.EventTypes(webhook).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(fixture.Outcomes.Replaced, r => r.InboxId == ready.InboxId);
    }

    /// <summary>Moved to another customer's inbox: re-created for its own inbox; the other inbox is fed by its own webhook alone.</summary>
    [Fact]
    public async Task Should_recreate_a_webhook_moved_to_another_customers_inbox_and_leave_that_inbox_to_its_own()
    {
        var ready = await fixture.ProvisionedAsync();
        var other = await fixture.ProvisionedAsync();
        await fixture.AgentMail.UpdateWebhookAsync(
            ready.WebhookId, new JsonObject { ["add_inbox_ids"] = new JsonArray(other.InboxId), ["remove_inbox_ids"] = new JsonArray(ready.InboxId) });

        Assert.True(await Watch.LookAsync(CancellationToken.None) >= 1);

        var own = Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId));
        Assert.Equal([ready.InboxId], SandboxAgentMail.InboxIds(own));
        var others = Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(other.InboxId));
        Assert.Equal(other.WebhookId, others["webhook_id"]!.GetValue<string>());
        Assert.Equal([other.InboxId], SandboxAgentMail.InboxIds(others));
    }

    /// <summary>Every webhook as it must be: a look lists them and changes nothing.</summary>
    [Fact]
    public async Task Should_change_nothing_when_every_webhook_is_as_it_must_be()
    {
        // What the class's other specs left to a next look (a customer whose read they made AgentMail refuse) is settled
        // first: the specs run in an order of xUnit's choosing.
        await Watch.LookAsync(CancellationToken.None);
        await fixture.ProvisionedAsync();
        var before = await WebhookStatesAsync();

        Assert.Equal(0, await Watch.LookAsync(CancellationToken.None));

        Assert.Equal(before, await WebhookStatesAsync());
    }

    /// <summary>
    /// The inbox itself deleted at AgentMail: no webhook is asked for it, and it is forgotten, so later looks do not
    /// spend their budget on it again; the customer's next order provisions a new inbox.
    /// </summary>
    [Fact]
    public async Task Should_leave_a_customer_whose_inbox_is_gone_to_their_next_order()
    {
        var ready = await fixture.ProvisionedAsync();
        await fixture.AgentMail.DeleteInboxAsync(ready.InboxId);
        var before = await WebhookStatesAsync();

        Assert.Equal(0, await Watch.LookAsync(CancellationToken.None));

        Assert.Equal(before, await WebhookStatesAsync());
        Assert.Null((await CustomerAsync(ready.UserId))["inbox_id"]?.GetValue<string>());
        var again = ProvisionerFixture.Order(ready.UserId);
        await fixture.PublishAsync(again);
        var againReady = await fixture.Outcomes.ReadyAsync(again.OrderId);
        Assert.NotNull(await fixture.AgentMail.InboxAsync(againReady.InboxId));
        Assert.Equal(againReady.WebhookId, Assert.Single(await fixture.AgentMail.WebhooksReachingAsync(againReady.InboxId))["webhook_id"]!.GetValue<string>());
    }

    /// <summary>
    /// AgentMail refuses (for the request, a 422: a 403 <c>forbidden</c> is the account's, below), or answers unreadably,
    /// the read of one customer's webhook: that customer is left to the next look, and the same look repairs the other,
    /// answering ops 200, not 502 for the whole look.
    /// </summary>
    [Theory]
    [InlineData("""{"error_status":422}""", true)]
    [InlineData("""{"malformed_answer":true}""", false)]
    public async Task Should_repair_the_other_customers_when_AgentMail_fails_the_read_of_one_customers_webhook(string fault, bool deleted)
    {
        await Watch.LookAsync(CancellationToken.None);
        var customers = new[] { await fixture.ProvisionedAsync(), await fixture.ProvisionedAsync() };
        foreach (var ready in customers)
        {
            await (deleted
                ? fixture.AgentMail.DeleteWebhookAsync(ready.WebhookId)
                : fixture.AgentMail.UpdateWebhookAsync(ready.WebhookId, new JsonObject { ["event_types"] = new JsonArray("message.received") }));
        }

        // One read fails: the first the look makes, of whichever customer it takes first (it takes them in no set order).
        var rule = JsonNode.Parse(fault)!.AsObject();
        rule["times"] = 1;
        await fixture.AgentMail.FaultAsync("webhooks.get", rule);
        using var look = await fixture.Client.PostAsync("/provisioning/webhook-watch", null);

        look.EnsureSuccessStatusCode();
        Assert.Equal(1, (await look.Content.ReadFromJsonAsync<JsonObject>())!["repaired"]!.GetValue<int>());
        var asItMustBe = await Task.WhenAll(customers.Select(async ready => AsItMustBe(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId))));
        Assert.Equal([false, true], asItMustBe.Order());
    }

    /// <summary>
    /// AgentMail refuses a repair for the account (the key lacks a permission): not that customer's webhook, so the look
    /// ends at the first refusal, answering ops 502 with AgentMail's status and code, instead of asking again for every
    /// other customer and logging each as their webhook's failure; once the key is put right, the next look repairs them.
    /// </summary>
    [Fact]
    public async Task Should_end_the_look_at_a_refusal_for_the_account_and_repair_at_the_next()
    {
        await Watch.LookAsync(CancellationToken.None);
        var customers = new[] { await fixture.ProvisionedAsync(), await fixture.ProvisionedAsync() };
        foreach (var ready in customers)
        {
            await fixture.AgentMail.DeleteWebhookAsync(ready.WebhookId);
        }

        var fault = await fixture.AgentMail.FaultAsync("inbox_webhooks.create", new JsonObject { ["error_status"] = 403, ["error_code"] = "missing_permission" });
        try
        {
            using var refused = await fixture.Client.PostAsync("/provisioning/webhook-watch", null);

            Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
            Assert.Contains("403 missing_permission", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(1, await fixture.AgentMail.AppliedAsync(fault));
        }
        finally
        {
            await fixture.AgentMail.RemoveFaultAsync(fault);
        }

        Assert.Equal(2, await Watch.LookAsync(CancellationToken.None));
        foreach (var ready in customers)
        {
            Assert.True(AsItMustBe(await fixture.AgentMail.WebhooksReachingAsync(ready.InboxId)), $"the webhook of {ready.InboxId} as it must be after the key was put right");
        }
    }

    private static bool AsItMustBe(IReadOnlyList<JsonObject> webhooks) =>
        webhooks.Count == 1 && SandboxAgentMail.EventTypes(webhooks[0]).Order(StringComparer.Ordinal).SequenceEqual(WantedEventTypes);

    private async Task<List<string>> WebhookStatesAsync() =>
        [.. (await fixture.AgentMail.WebhooksAsync()).Select(w => w.ToJsonString()).Order(StringComparer.Ordinal)];

    private async Task<JsonObject> CustomerAsync(string userId) =>
        (await fixture.Client.GetFromJsonAsync<JsonObject>($"/provisioning/customers/{Uri.EscapeDataString(userId)}"))!;
}
