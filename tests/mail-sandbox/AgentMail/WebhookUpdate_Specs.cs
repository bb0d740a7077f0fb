using System.Net;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary><c>PATCH /v0/webhooks/{id}</c>: scope additions and removals, event types replaced, and the 400s.</summary>
public sealed class WebhookUpdate_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IAsyncLifetime
{
    private const string Webhooks = $"{InboxHttp.V0}/webhooks";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_inbox_ids_are_added_and_removed_Should_change_the_scope()
    {
        using var client = factory.AgentMail();
        var a = await client.CreateInboxIdAsync("a");
        var b = await client.CreateInboxIdAsync("b");
        var c = await client.CreateInboxIdAsync("c");
        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = new[] { a } });

        var reply = await client.SendAsync(HttpMethod.Patch, $"{Webhooks}/{webhook.WebhookId()}", new { add_inbox_ids = new[] { b, c }, remove_inbox_ids = new[] { a } });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal($"{b} {c}", string.Join(' ', reply.Json.Strings("inbox_ids")));
        Assert.Equal($"{b} {c}", string.Join(' ', (await client.GetWebhookAsync(webhook.WebhookId())).Strings("inbox_ids")));
        Assert.Equal(webhook["secret"]!.GetValue<string>(), reply.Json["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_event_types_are_given_Should_replace_the_whole_set()
    {
        using var client = factory.AgentMail();
        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        var reply = await client.SendRawAsync(HttpMethod.Patch, $"{Webhooks}/{webhook.WebhookId()}", """{"event_types":["message.sent","message.bounced"]}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("message.sent message.bounced", string.Join(' ', reply.Json.Strings("event_types")));
        Assert.True(DateTimeOffset.Parse(reply.Json["updated_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            > DateTimeOffset.Parse(webhook["updated_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("""{"event_types":[]}""")]
    [InlineData("""{}""")]
    public async Task When_event_types_is_empty_or_absent_Should_keep_the_set(string body)
    {
        using var client = factory.AgentMail();
        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        var reply = await client.SendRawAsync(HttpMethod.Patch, $"{Webhooks}/{webhook.WebhookId()}", body);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("message.received", Assert.Single(reply.Json.Strings("event_types")));
    }

    [Fact]
    public async Task When_url_and_enabled_are_sent_Should_ignore_them()
    {
        using var client = factory.AgentMail();
        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        var reply = await client.SendRawAsync(HttpMethod.Patch, $"{Webhooks}/{webhook.WebhookId()}", """{"url":"https://elsewhere.example/hook","enabled":false}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(WebhookHttp.Url, reply.Json["url"]!.GetValue<string>());
        Assert.True(reply.Json["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task When_the_last_inbox_of_a_scoped_webhook_is_removed_Should_answer_400_and_keep_it()
    {
        using var client = factory.AgentMail();
        var a = await client.CreateInboxIdAsync("a");
        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = new[] { a } });

        var reply = await client.SendAsync(HttpMethod.Patch, $"{Webhooks}/{webhook.WebhookId()}", new { remove_inbox_ids = new[] { a } });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("validation_error", reply.Json["code"]!.GetValue<string>());
        Assert.Equal("A scoped webhook must always keep at least one pod or inbox subscription", reply.Json["message"]!.GetValue<string>());
        Assert.Equal(a, Assert.Single((await client.GetWebhookAsync(webhook.WebhookId())).Strings("inbox_ids")));
    }

    [Fact]
    public async Task When_the_last_inbox_is_swapped_for_the_pod_Should_keep_a_scope_and_succeed()
    {
        using var client = factory.AgentMail();
        var inbox = await client.CreateInboxAsync(new { username = "a" });
        var a = inbox["inbox_id"]!.GetValue<string>();
        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = new[] { a } });

        var reply = await client.SendAsync(HttpMethod.Patch, $"{Webhooks}/{webhook.WebhookId()}", new { remove_inbox_ids = new[] { a }, add_pod_ids = new[] { inbox["pod_id"]!.GetValue<string>() } });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.False(reply.Json.ContainsKey("inbox_ids"));
        Assert.Single(reply.Json.Strings("pod_ids"));
    }

    [Fact]
    public async Task When_an_org_wide_webhook_gets_an_inbox_Should_become_scoped_to_it()
    {
        using var client = factory.AgentMail();
        var a = await client.CreateInboxIdAsync("a");
        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        var reply = await client.SendAsync(HttpMethod.Patch, $"{Webhooks}/{webhook.WebhookId()}", new { add_inbox_ids = new[] { a } });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(a, Assert.Single(reply.Json.Strings("inbox_ids")));
    }

    [Fact]
    public async Task When_additions_would_pass_10_inboxes_Should_answer_400()
    {
        using var client = factory.AgentMail();
        var ids = new List<string>();
        for (var i = 1; i <= 11; i++)
        {
            ids.Add(await client.CreateInboxIdAsync($"cust-{i}"));
        }

        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = ids.Take(10) });
        var reply = await client.SendAsync(HttpMethod.Patch, $"{Webhooks}/{webhook.WebhookId()}", new { add_inbox_ids = new[] { ids[10] } });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("add_inbox_ids", reply.FirstIssuePath);
        Assert.Equal(10, (await client.GetWebhookAsync(webhook.WebhookId())).Strings("inbox_ids").Count);
    }

    [Fact]
    public async Task When_an_added_inbox_does_not_exist_Should_answer_400()
    {
        using var client = factory.AgentMail();
        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        var reply = await client.SendRawAsync(HttpMethod.Patch, $"{Webhooks}/{webhook.WebhookId()}", """{"add_inbox_ids":["ghost@agentmail.to"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("add_inbox_ids.0", reply.FirstIssuePath);
    }

    [Theory]
    [InlineData("""{"event_types":["message.nope"]}""", "event_types.0")]
    [InlineData("""{"add_inbox_ids":"a@agentmail.to"}""", "add_inbox_ids")]
    public async Task When_a_member_is_invalid_Should_answer_400_naming_it(string body, string path)
    {
        using var client = factory.AgentMail();
        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        var reply = await client.SendRawAsync(HttpMethod.Patch, $"{Webhooks}/{webhook.WebhookId()}", body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(path, reply.FirstIssuePath);
    }

    [Fact]
    public async Task When_the_webhook_does_not_exist_Should_answer_404()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendRawAsync(HttpMethod.Patch, $"{Webhooks}/ep_nothing", """{"event_types":["message.sent"]}""");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("Webhook not found", reply.Json["message"]!.GetValue<string>());
    }
}
