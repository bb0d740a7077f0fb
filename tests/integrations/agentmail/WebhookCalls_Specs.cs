using System.Text.Json;

namespace OrdersMail.Integrations.AgentMail.Tests;

/// <summary>The webhook calls against the sandbox's AgentMail: inbox-scoped create, org-level read, its secret read on its own, update, delete.</summary>
public sealed class WebhookCalls_Specs : IAsyncLifetime
{
    private static readonly string[] Received = ["message.received"];
    private static readonly string[] ReceivedAndDelivered = ["message.received", "message.delivered"];

    private AgentMailHarness _agentMail = null!;
    private AgentMailInbox _inbox = null!;

    public async Task InitializeAsync()
    {
        _agentMail = await AgentMailHarness.StartAsync();
        _inbox = await _agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default);
    }

    public async Task DisposeAsync() => await _agentMail.DisposeAsync();

    [Fact]
    public async Task Should_create_an_inbox_scoped_webhook_that_reads_back_with_its_scope_and_event_types_and_no_secret()
    {
        var create = new CreateInboxWebhook("https://orders.example/webhooks/agentmail", ReceivedAndDelivered, $"webhook-{Guid.NewGuid():N}");

        var created = await _agentMail.Client.CreateInboxWebhookAsync(_inbox.InboxId, create, default);
        var replayed = await _agentMail.Client.CreateInboxWebhookAsync(_inbox.InboxId, create with { EventTypes = Received }, default);
        var read = await _agentMail.Client.GetWebhookAsync(created.WebhookId, default);

        Assert.StartsWith("ep_", created.WebhookId, StringComparison.Ordinal);
        Assert.Equal(created.WebhookId, replayed.WebhookId);
        Assert.NotNull(read);
        Assert.Equal([_inbox.InboxId], read.InboxIds);
        Assert.Empty(read.PodIds);
        Assert.Equal(ReceivedAndDelivered, read.EventTypes);
        Assert.Equal(create.Url, read.Url);
        Assert.Equal(create.ClientId, read.ClientId);
        Assert.True(read.Enabled);
        Assert.DoesNotContain(typeof(AgentMailWebhook).GetProperties(), p => p.Name.Contains("Secret", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("whsec_", JsonSerializer.Serialize(read), StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", read.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_read_at_org_level_a_webhook_whose_stored_scope_drifted_from_the_one_asked_for()
    {
        await _agentMail.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.CreateInboxWebhook, stored_differs = "org_wide", times = 1 });

        var created = await _agentMail.Client.CreateInboxWebhookAsync(_inbox.InboxId, NewWebhook(), default);
        var read = await _agentMail.Client.GetWebhookAsync(created.WebhookId, default);

        Assert.Equal([_inbox.InboxId], created.InboxIds);
        Assert.NotNull(read);
        Assert.Empty(read.InboxIds);
        Assert.Empty(read.PodIds);
    }

    [Fact]
    public async Task Should_replace_the_event_types_of_a_webhook()
    {
        var created = await _agentMail.Client.CreateInboxWebhookAsync(_inbox.InboxId, NewWebhook(), default);

        var updated = await _agentMail.Client.UpdateWebhookEventTypesAsync(created.WebhookId, ["message.delivered", "message.bounced"], default);

        Assert.Equal(["message.delivered", "message.bounced"], updated.EventTypes);
        Assert.Equal(updated.EventTypes, (await _agentMail.Client.GetWebhookAsync(created.WebhookId, default))!.EventTypes);
        Assert.Equal([_inbox.InboxId], updated.InboxIds);
    }

    [Fact]
    public async Task Should_delete_a_webhook_then_read_null_and_answer_false_once_it_is_gone()
    {
        var created = await _agentMail.Client.CreateInboxWebhookAsync(_inbox.InboxId, NewWebhook(), default);

        Assert.True(await _agentMail.Client.DeleteWebhookAsync(created.WebhookId, default));
        Assert.Null(await _agentMail.Client.GetWebhookAsync(created.WebhookId, default));
        Assert.False(await _agentMail.Client.DeleteWebhookAsync(created.WebhookId, default));
    }

    [Fact]
    public async Task Should_read_the_webhook_secret_on_its_own_as_AgentMail_stores_it_without_showing_it()
    {
        var created = await _agentMail.Client.CreateInboxWebhookAsync(_inbox.InboxId, NewWebhook(), default);
        var stored = await _agentMail.ReadDirectlyAsync($"v0/webhooks/{created.WebhookId}");

        var secret = await _agentMail.Client.GetWebhookSecretAsync(created.WebhookId, default);

        Assert.NotNull(secret);
        Assert.Equal(created.WebhookId, secret.WebhookId);
        Assert.StartsWith("whsec_", secret.Reveal(), StringComparison.Ordinal);
        Assert.Equal(stored.GetProperty("secret").GetString(), secret.Reveal());
        Assert.Contains(created.WebhookId, secret.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret.Reveal(), secret.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret.Reveal(), $"{secret}", StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", JsonSerializer.Serialize(secret), StringComparison.Ordinal);
        Assert.Equal(1, _agentMail.Requests.To(HttpMethod.Get, $"/v0/webhooks/{created.WebhookId}"));
    }

    [Fact]
    public async Task Should_answer_null_for_the_secret_of_a_webhook_that_does_not_exist()
    {
        Assert.Null(await _agentMail.Client.GetWebhookSecretAsync("ep_nothing_here", default));
    }

    [Fact]
    public async Task Should_list_the_webhooks_scoped_to_an_inbox_and_answer_null_for_an_inbox_that_does_not_exist()
    {
        var other = await _agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default);
        var created = await _agentMail.Client.CreateInboxWebhookAsync(_inbox.InboxId, NewWebhook(), default);
        await _agentMail.Client.CreateInboxWebhookAsync(other.InboxId, NewWebhook(), default);

        var listed = await _agentMail.Client.ListInboxWebhooksAsync(_inbox.InboxId, default);

        Assert.NotNull(listed);
        var only = Assert.Single(listed);
        Assert.Equal(created.WebhookId, only.WebhookId);
        Assert.Equal([_inbox.InboxId], only.InboxIds);
        Assert.Null(await _agentMail.Client.ListInboxWebhooksAsync("nobody@agentmail.to", default));
    }

    [Fact]
    public async Task Should_refuse_an_invalid_webhook_with_a_400_and_not_retry_it()
    {
        var invalid = await Assert.ThrowsAsync<AgentMailException>(() =>
            _agentMail.Client.CreateInboxWebhookAsync(_inbox.InboxId, new CreateInboxWebhook("not a url", Received, $"webhook-{Guid.NewGuid():N}"), default));

        Assert.Equal(400, invalid.StatusCode);
        Assert.Equal("ValidationError", invalid.Name);
        Assert.Equal(1, _agentMail.Requests.To(HttpMethod.Post, "/webhooks"));
    }

    private static CreateInboxWebhook NewWebhook() => new("https://orders.example/webhooks/agentmail", Received, $"webhook-{Guid.NewGuid():N}");
}
