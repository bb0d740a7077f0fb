using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary><c>POST /v0/webhooks</c>: the webhook as created, its scope, the schema's 400s, and client_id idempotency.</summary>
public sealed class WebhookCreate_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IAsyncLifetime
{
    private const string Webhooks = $"{InboxHttp.V0}/webhooks";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_created_without_a_scope_Should_answer_200_org_wide_enabled_with_a_secret()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendRawAsync(HttpMethod.Post, Webhooks, $$"""{"url":"{{WebhookHttp.Url}}","event_types":["message.received","message.delivered"],"client_id":"orders-webhook-v1"}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var webhook = reply.Json;
        Assert.Matches("^ep_[0-9A-Za-z]{27}$", webhook.WebhookId());
        Assert.Equal(WebhookHttp.Url, webhook["url"]!.GetValue<string>());
        Assert.Equal("message.received message.delivered", string.Join(' ', webhook.Strings("event_types")));
        var secret = webhook["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.NotEmpty(Convert.FromBase64String(secret["whsec_".Length..]));
        Assert.True(webhook["enabled"]!.GetValue<bool>());
        Assert.Equal("orders-webhook-v1", webhook["client_id"]!.GetValue<string>());
        Assert.False(webhook.ContainsKey("inbox_ids"));
        Assert.False(webhook.ContainsKey("pod_ids"));
        Assert.False(webhook.ContainsKey("headers"));
        Assert.Equal(webhook["created_at"]!.GetValue<string>(), webhook["updated_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_created_with_inbox_ids_Should_be_scoped_to_those_inboxes()
    {
        using var client = factory.AgentMail();
        var first = await client.CreateInboxIdAsync("first");
        var second = await client.CreateInboxIdAsync("second");

        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = new[] { first, second.ToUpperInvariant(), first } });

        Assert.Equal($"{first} {second}", string.Join(' ', webhook.Strings("inbox_ids")));
    }

    [Fact]
    public async Task When_created_with_the_pod_of_the_inboxes_Should_be_scoped_to_it()
    {
        using var client = factory.AgentMail();
        var podId = (await client.CreateInboxAsync(new { username = "podded" }))["pod_id"]!.GetValue<string>();

        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, pod_ids = new[] { podId } });

        Assert.Equal(podId, Assert.Single(webhook.Strings("pod_ids")));
    }

    [Fact]
    public async Task When_event_types_is_missing_Should_answer_the_live_APIs_zod_body()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendRawAsync(HttpMethod.Post, Webhooks, $$"""{"url":"{{WebhookHttp.Url}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        var expected = JsonNode.Parse("""
            {"name":"ValidationError","errors":[{"expected":"array","code":"invalid_type","path":["event_types"],"message":"Invalid input: expected array, received undefined"}]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, reply.Body), reply.Body!.ToJsonString());
    }

    [Theory]
    [InlineData("""[]""", "event_types", "too_small")]
    [InlineData("""["message.received","email.sent"]""", "event_types.1", "invalid_value")]
    [InlineData("""["Message.Received"]""", "event_types.0", "invalid_value")]
    [InlineData("""[42]""", "event_types.0", "invalid_type")]
    [InlineData("\"message.received\"", "event_types", "invalid_type")]
    public async Task When_event_types_is_invalid_Should_answer_400_naming_it(string eventTypes, string path, string code)
    {
        using var client = factory.AgentMail();

        var reply = await client.SendRawAsync(HttpMethod.Post, Webhooks, $$"""{"url":"{{WebhookHttp.Url}}","event_types":{{eventTypes}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(path, reply.FirstIssuePath);
        Assert.Equal(code, reply.FirstIssueCode);
    }

    [Fact]
    public async Task When_an_event_type_is_unknown_Should_list_the_eleven_allowed_values()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendRawAsync(HttpMethod.Post, Webhooks, $$"""{"url":"{{WebhookHttp.Url}}","event_types":["message.read"]}""");

        Assert.Equal(11, reply.Json["errors"]![0]!["values"]!.AsArray().Count);
    }

    [Fact]
    public async Task When_all_eleven_event_types_are_requested_Should_accept_them()
    {
        using var client = factory.AgentMail();
        var all = """
            ["message.received","message.received.spam","message.received.blocked","message.received.unauthenticated",
             "message.sent","message.delivered","message.bounced","message.complained","message.rejected","message.opened","domain.verified"]
            """;

        var reply = await client.SendRawAsync(HttpMethod.Post, Webhooks, $$"""{"url":"{{WebhookHttp.Url}}","event_types":{{all}}}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(all), reply.Json["event_types"]));
    }

    [Theory]
    [InlineData("""{"event_types":["message.received"]}""", "invalid_type")]
    [InlineData("""{"url":"ftp://orders.example/hook","event_types":["message.received"]}""", "invalid_format")]
    [InlineData("""{"url":"not a url","event_types":["message.received"]}""", "invalid_format")]
    [InlineData("""{"url":"/webhooks/agentmail","event_types":["message.received"]}""", "invalid_format")]
    [InlineData("""{"url":7,"event_types":["message.received"]}""", "invalid_type")]
    public async Task When_the_url_is_missing_or_not_an_absolute_http_url_Should_answer_400(string body, string code)
    {
        using var client = factory.AgentMail();

        var reply = await client.SendRawAsync(HttpMethod.Post, Webhooks, body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("url", reply.FirstIssuePath);
        Assert.Equal(code, reply.FirstIssueCode);
    }

    [Theory]
    [InlineData("inbox_ids")]
    [InlineData("pod_ids")]
    public async Task When_more_than_10_ids_scope_it_Should_answer_400_too_big(string member)
    {
        using var client = factory.AgentMail();
        var ids = new JsonArray([.. Enumerable.Range(1, 11).Select(i => (JsonNode)$"cust-{i}@agentmail.to")]);

        var reply = await client.SendRawAsync(HttpMethod.Post, Webhooks, $$"""{"url":"{{WebhookHttp.Url}}","event_types":["message.received"],"{{member}}":{{ids.ToJsonString()}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(member, reply.FirstIssuePath);
        Assert.Equal("too_big", reply.FirstIssueCode);
        Assert.Equal(10, reply.Json["errors"]![0]!["maximum"]!.GetValue<int>());
    }

    [Fact]
    public async Task When_exactly_10_inboxes_scope_it_Should_accept_them()
    {
        using var client = factory.AgentMail();
        var ids = new List<string>();
        for (var i = 1; i <= 10; i++)
        {
            ids.Add(await client.CreateInboxIdAsync($"cust-{i}"));
        }

        var webhook = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, inbox_ids = ids });

        Assert.Equal(10, webhook.Strings("inbox_ids").Count);
    }

    [Theory]
    [InlineData("inbox_ids", "ghost@agentmail.to")]
    [InlineData("pod_ids", "pod-that-is-not-there")]
    public async Task When_a_scope_id_does_not_exist_Should_answer_400_and_create_nothing(string member, string id)
    {
        using var client = factory.AgentMail();
        var real = await client.CreateInboxIdAsync("real");
        var ids = member == "inbox_ids" ? new[] { real, id } : [id];

        var reply = await client.SendAsync(HttpMethod.Post, Webhooks, new Dictionary<string, object> { ["url"] = WebhookHttp.Url, ["event_types"] = WebhookHttp.Received, [member] = ids });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("validation_error", reply.Json["code"]!.GetValue<string>());
        Assert.Equal($"{member}.{ids.Length - 1}", reply.FirstIssuePath);
        Assert.Equal(0, (await client.SendAsync(HttpMethod.Get, Webhooks)).Json["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task When_a_client_id_is_replayed_Should_answer_200_with_the_original_webhook()
    {
        using var client = factory.AgentMail();
        var original = await client.CreateWebhookAsync(new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, client_id = "orders-webhook-v1" });

        var replay = await client.SendRawAsync(HttpMethod.Post, Webhooks, """{"url":"https://elsewhere.example/hook","event_types":["message.sent"],"client_id":"orders-webhook-v1"}""");

        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.True(JsonNode.DeepEquals(original, replay.Body), replay.Body!.ToJsonString());
        Assert.Equal(1, (await client.SendAsync(HttpMethod.Get, Webhooks)).Json["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task When_the_client_id_breaks_the_rules_Should_answer_400()
    {
        using var client = factory.AgentMail();

        var reply = await client.SendAsync(HttpMethod.Post, Webhooks, new { url = WebhookHttp.Url, event_types = WebhookHttp.Received, client_id = "orders@webhook" });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("client_id", reply.FirstIssuePath);
    }

    [Fact]
    public async Task When_custom_headers_are_given_Should_never_return_them()
    {
        using var client = factory.AgentMail();

        var created = await client.SendRawAsync(HttpMethod.Post, Webhooks, $$$"""{"url":"{{{WebhookHttp.Url}}}","event_types":["message.received"],"headers":{"X-Orders-Token":"s3cret-value"}}""");
        var got = await client.SendAsync(HttpMethod.Get, $"{Webhooks}/{created.Json.WebhookId()}");
        var listed = await client.SendAsync(HttpMethod.Get, Webhooks);

        Assert.Equal(HttpStatusCode.OK, created.Status);
        foreach (var reply in new[] { created, got, listed })
        {
            var text = reply.Body!.ToJsonString();
            Assert.DoesNotContain("s3cret-value", text, StringComparison.Ordinal);
            Assert.DoesNotContain("X-Orders-Token", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\"headers\"", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{}""", "headers", "too_small")]
    [InlineData("""{"X-Token":1}""", "headers.X-Token", "invalid_type")]
    [InlineData("""["X-Token"]""", "headers", "invalid_type")]
    public async Task When_headers_are_invalid_Should_answer_400(string headers, string path, string code)
    {
        using var client = factory.AgentMail();

        var reply = await client.SendRawAsync(HttpMethod.Post, Webhooks, $$"""{"url":"{{WebhookHttp.Url}}","event_types":["message.received"],"headers":{{headers}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(path, reply.FirstIssuePath);
        Assert.Equal(code, reply.FirstIssueCode);
    }
}
