using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.MailSandbox.AgentMail;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary><c>DELETE /v0/inboxes/{inbox_id}</c>: 204 then gone, 404 when missing, and what goes with the inbox (messages, its webhooks).</summary>
public sealed class InboxDelete_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IAsyncLifetime
{
    private const string Inboxes = $"{InboxHttp.V0}/inboxes";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("leaving@agentmail.to")]
    [InlineData("leaving%40agentmail.to")]
    public async Task When_deleted_Should_answer_204_and_then_404(string pathId)
    {
        using var client = factory.AgentMail();
        await client.CreateInboxAsync(new { username = "leaving" });

        var deleted = await client.SendAsync(HttpMethod.Delete, $"{Inboxes}/{pathId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Null(deleted.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"{Inboxes}/{pathId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Delete, $"{Inboxes}/{pathId}")).Status);
    }

    [Fact]
    public async Task When_the_inbox_does_not_exist_Should_answer_404_NotFoundError()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendAsync(HttpMethod.Delete, $"{Inboxes}/nobody@agentmail.to");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("NotFoundError", reply.Json["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_deleted_Should_free_the_address_for_a_new_inbox_and_client_id()
    {
        using var client = factory.AgentMail();
        var old = await client.CreateInboxAsync(new { username = "again", client_id = "inbox-again" });
        await client.SendAsync(HttpMethod.Delete, $"{Inboxes}/again@agentmail.to");

        var renewed = await client.CreateInboxAsync(new { username = "again", client_id = "inbox-again", display_name = "Second life" });

        Assert.Equal("Second life", renewed["display_name"]!.GetValue<string>());
        Assert.NotEqual(old["created_at"]!.GetValue<string>(), renewed["created_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_deleted_Should_take_its_messages_and_leave_other_inboxes_messages()
    {
        using var client = factory.AgentMail();
        var leaving = await client.CreateInboxIdAsync("leaving");
        var staying = await client.CreateInboxIdAsync("staying");
        var store = factory.Services.GetRequiredService<AgentMailStore>();
        lock (store.Sync)
        {
            store.Messages[(leaving, "<1@x>")] = StoredMessages.Received(leaving, "<1@x>");
            store.Messages[(staying, "<2@x>")] = StoredMessages.Received(staying, "<2@x>");
        }

        await client.SendAsync(HttpMethod.Delete, $"{Inboxes}/{leaving}");

        lock (store.Sync)
        {
            Assert.Equal((staying, "<2@x>"), Assert.Single(store.Messages.Keys));
        }
    }

    [Fact]
    public async Task When_deleted_Should_delete_webhooks_scoped_only_to_it_and_unscope_the_others()
    {
        using var client = factory.AgentMail();
        var leaving = await client.CreateInboxIdAsync("leaving");
        var staying = await client.CreateInboxIdAsync("staying");
        var onlyLeaving = await client.CreateInboxWebhookAsync(leaving, new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });
        var both = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = new[] { leaving, staying } });
        var orgWide = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        await client.SendAsync(HttpMethod.Delete, $"{Inboxes}/{leaving}");

        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/webhooks/{onlyLeaving.WebhookId()}")).Status);
        Assert.Equal(staying, Assert.Single((await client.GetWebhookAsync(both.WebhookId())).Strings("inbox_ids")));
        Assert.False((await client.GetWebhookAsync(orgWide.WebhookId())).ContainsKey("inbox_ids"));
    }
}
