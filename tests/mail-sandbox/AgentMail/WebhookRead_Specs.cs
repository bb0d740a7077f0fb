using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary><c>GET</c> and <c>DELETE /v0/webhooks[/{id}]</c>: the secret on get and list, pages newest first, 404s.</summary>
public sealed class WebhookRead_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IAsyncLifetime
{
    private const string Webhooks = $"{InboxHttp.V0}/webhooks";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_got_Should_return_the_webhook_as_created_secret_included()
    {
        using var client = factory.AgentMail();
        var created = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        var got = await client.GetWebhookAsync(created.WebhookId());

        Assert.True(JsonNode.DeepEquals(created, got), got.ToJsonString());
        Assert.StartsWith("whsec_", got["secret"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_two_webhooks_are_created_Should_each_get_its_own_secret()
    {
        using var client = factory.AgentMail();

        var first = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });
        var second = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        Assert.NotEqual(first.WebhookId(), second.WebhookId());
        Assert.NotEqual(first["secret"]!.GetValue<string>(), second["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_webhook_does_not_exist_Should_answer_404_NotFoundError()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendAsync(HttpMethod.Get, $"{Webhooks}/ep_nothing");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"NotFoundError","code":"not_found","message":"Webhook not found"}"""), reply.Body));
    }

    [Fact]
    public async Task When_listed_Should_page_newest_first_with_secrets()
    {
        using var client = factory.AgentMail();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await client.CreateWebhookAsync(new { url = $"{WebhookHttp.Url}/{i}", event_types = WebhookHttp.Received })).WebhookId());
        }

        var first = await client.SendAsync(HttpMethod.Get, $"{Webhooks}?limit=2");
        var token = Uri.EscapeDataString(first.Json["next_page_token"]!.GetValue<string>());
        var second = await client.SendAsync(HttpMethod.Get, $"{Webhooks}?limit=2&page_token={token}");

        Assert.Equal($"{ids[2]} {ids[1]}", Ids(first));
        Assert.Equal(ids[0], Ids(second));
        Assert.Equal(2, first.Json["count"]!.GetValue<int>());
        Assert.Equal(2, first.Json["limit"]!.GetValue<int>());
        Assert.False(second.Json.ContainsKey("next_page_token"));
        Assert.All(first.Json["webhooks"]!.AsArray(), w => Assert.StartsWith("whsec_", w!["secret"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_listed_ascending_Should_page_oldest_first()
    {
        using var client = factory.AgentMail();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received })).WebhookId());
        }

        var reply = await client.SendAsync(HttpMethod.Get, $"{Webhooks}?ascending=true");

        Assert.Equal(string.Join(' ', ids), Ids(reply));
    }

    [Fact]
    public async Task When_the_page_token_is_not_the_sandboxes_Should_answer_400()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendAsync(HttpMethod.Get, $"{Webhooks}?page_token=bogus");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("validation_error", reply.Json["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_deleted_Should_answer_204_and_then_404()
    {
        using var client = factory.AgentMail();
        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received });

        var deleted = await client.SendAsync(HttpMethod.Delete, $"{Webhooks}/{webhook.WebhookId()}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Null(deleted.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"{Webhooks}/{webhook.WebhookId()}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Delete, $"{Webhooks}/{webhook.WebhookId()}")).Status);
    }

    private static string Ids(WireReply page)
    {
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return string.Join(' ', page.Json["webhooks"]!.AsArray().Select(w => w!["webhook_id"]!.GetValue<string>()));
    }
}
