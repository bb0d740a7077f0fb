using System.Text.Json;
using OrdersMail.InboxProvisioner.AgentMail;

namespace OrdersMail.InboxProvisioner.Tests.AgentMail;

/// <summary>The webhook calls against the sandbox's AgentMail: inbox-scoped create, org-level read, update, delete, list.</summary>
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
    public async Task Should_list_every_webhook_of_the_organisation_across_pages()
    {
        var created = new List<string>();
        for (var i = 0; i < 105; i++)
        {
            created.Add((await _agentMail.Client.CreateInboxWebhookAsync(_inbox.InboxId, NewWebhook(), default)).WebhookId);
        }

        var listed = await _agentMail.Client.ListWebhooksAsync(default);

        Assert.Equal(created.Order(StringComparer.Ordinal), listed.Select(w => w.WebhookId).Order(StringComparer.Ordinal));
        Assert.Equal(2, _agentMail.Requests.To(HttpMethod.Get, "/v0/webhooks"));
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
