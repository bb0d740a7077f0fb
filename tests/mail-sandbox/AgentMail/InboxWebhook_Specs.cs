using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>
/// The inbox-scoped family, <c>/v0/inboxes/{inbox_id}/webhooks[/{id}]</c>: the path sets the scope, and a webhook not
/// scoped to that inbox is a 404 there.
/// </summary>
public sealed class InboxWebhook_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IAsyncLifetime
{
    private const string A = "a@agentmail.to";
    private const string B = "b@agentmail.to";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_created_under_an_inbox_Should_be_scoped_to_it_alone_whatever_the_body_says()
    {
        using var client = await InboxesAsync();

        var reply = await client.SendRawAsync(HttpMethod.Post, Path(A), $$"""{"url":"{{WebhookHttp.Url}}","event_types":["message.received"],"inbox_ids":["{{B}}"],"pod_ids":["x"]}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(A, Assert.Single(reply.Json.Strings("inbox_ids")));
        Assert.False(reply.Json.ContainsKey("pod_ids"));
        Assert.StartsWith("whsec_", reply.Json["secret"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(reply.Body, await client.GetWebhookAsync(reply.Json.WebhookId())));
    }

    [Fact]
    public async Task When_created_under_a_percent_encoded_inbox_Should_be_scoped_to_it()
    {
        using var client = await InboxesAsync();

        var webhook = await client.CreateInboxWebhookAsync("a%40agentmail.to", new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        Assert.Equal(A, Assert.Single(webhook.Strings("inbox_ids")));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"{Path("a%40agentmail.to")}/{webhook.WebhookId()}")).Status);
    }

    [Fact]
    public async Task When_the_inbox_does_not_exist_Should_answer_404_Inbox_not_found()
    {
        using var client = factory.AgentMail();

        var created = await client.SendAsync(HttpMethod.Post, Path("ghost@agentmail.to"), new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });
        var listed = await client.SendAsync(HttpMethod.Get, Path("ghost@agentmail.to"));

        Assert.Equal(HttpStatusCode.NotFound, created.Status);
        Assert.Equal("Inbox not found", created.Json["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, listed.Status);
    }

    [Fact]
    public async Task When_event_types_is_missing_Should_answer_the_live_APIs_zod_body()
    {
        using var client = await InboxesAsync();

        var reply = await client.SendAsync(HttpMethod.Post, Path(A), new { url = WebhookHttp.Url });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        var expected = JsonNode.Parse("""
            {"name":"ValidationError","errors":[{"expected":"array","code":"invalid_type","path":["event_types"],"message":"Invalid input: expected array, received undefined"}]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, reply.Body), reply.Body!.ToJsonString());
    }

    [Fact]
    public async Task When_listed_Should_show_only_webhooks_whose_scope_includes_the_inbox()
    {
        using var client = await InboxesAsync();
        var onA = await client.CreateInboxWebhookAsync(A, new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });
        await client.CreateInboxWebhookAsync(B, new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });
        await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });
        var onBoth = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = new[] { A, B } });

        var reply = await client.SendAsync(HttpMethod.Get, Path(A));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(2, reply.Json["count"]!.GetValue<int>());
        var ids = reply.Json["webhooks"]!.AsArray().Select(w => w!["webhook_id"]!.GetValue<string>());
        Assert.Equal($"{onBoth.WebhookId()} {onA.WebhookId()}", string.Join(' ', ids));
    }

    [Fact]
    public async Task When_a_webhook_is_not_scoped_to_the_inbox_Should_answer_404_to_get_update_and_delete()
    {
        using var client = await InboxesAsync();
        var onB = await client.CreateInboxWebhookAsync(B, new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });
        var orgWide = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        foreach (var id in new[] { onB.WebhookId(), orgWide.WebhookId(), "ep_nothing" })
        {
            var got = await client.SendAsync(HttpMethod.Get, $"{Path(A)}/{id}");
            var updated = await client.SendRawAsync(HttpMethod.Patch, $"{Path(A)}/{id}", """{"event_types":["message.sent"]}""");
            var deleted = await client.SendAsync(HttpMethod.Delete, $"{Path(A)}/{id}");

            Assert.Equal(HttpStatusCode.NotFound, got.Status);
            Assert.Equal("Webhook not found", got.Json["message"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.NotFound, updated.Status);
            Assert.Equal(HttpStatusCode.NotFound, deleted.Status);
        }

        Assert.Equal("message.received", Assert.Single((await client.GetWebhookAsync(onB.WebhookId())).Strings("event_types")));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/webhooks/{orgWide.WebhookId()}")).Status);
    }

    [Fact]
    public async Task When_updated_Should_replace_event_types_and_ignore_scope_members()
    {
        using var client = await InboxesAsync();
        var webhook = await client.CreateInboxWebhookAsync(A, new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        var reply = await client.SendRawAsync(HttpMethod.Patch, $"{Path(A)}/{webhook.WebhookId()}", $$"""{"event_types":["message.sent","message.delivered"],"remove_inbox_ids":["{{A}}"],"add_inbox_ids":["{{B}}"]}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("message.sent message.delivered", string.Join(' ', reply.Json.Strings("event_types")));
        Assert.Equal(A, Assert.Single(reply.Json.Strings("inbox_ids")));
    }

    [Fact]
    public async Task When_deleted_Should_answer_204_and_be_gone_everywhere()
    {
        using var client = await InboxesAsync();
        var webhook = await client.CreateInboxWebhookAsync(A, new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        var deleted = await client.SendAsync(HttpMethod.Delete, $"{Path(A)}/{webhook.WebhookId()}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"{Path(A)}/{webhook.WebhookId()}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"{InboxHttp.V0}/webhooks/{webhook.WebhookId()}")).Status);
    }

    [Fact]
    public async Task When_a_client_id_is_replayed_Should_answer_200_with_the_original()
    {
        using var client = await InboxesAsync();
        var original = await client.CreateInboxWebhookAsync(A, new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, client_id = "inbox-a-webhook" });

        var replay = await client.SendRawAsync(HttpMethod.Post, Path(A), """{"url":"https://other.example/hook","event_types":["message.sent"],"client_id":"inbox-a-webhook"}""");

        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.True(JsonNode.DeepEquals(original, replay.Body));
        Assert.Equal(1, (await client.SendAsync(HttpMethod.Get, Path(A))).Json["count"]!.GetValue<int>());
    }

    private static string Path(string inboxId) => $"{InboxHttp.V0}/inboxes/{inboxId}/webhooks";

    private async Task<HttpClient> InboxesAsync()
    {
        var client = factory.AgentMail();
        await client.CreateInboxIdAsync("a");
        await client.CreateInboxIdAsync("b");
        return client;
    }
}
